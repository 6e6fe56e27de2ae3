//! The case workflow: intake, the actions a person takes on a case and the
//! rules that guard them, and the views the apps show.

mod intake;
mod school;
mod view;
mod workflow;

#[cfg(test)]
pub(crate) use intake::sample_intake;
pub use intake::CaseIntake;
pub use school::{SchoolProcedure, SchoolProcedureStep, SchoolStep};
pub use view::{
    CaseDetail, CaseFilter, CaseSummary, ConsentStatus, Derived, FollowUpFilter, FollowUpState,
};
pub use workflow::{check_closer, check_transferrer, closes, plan, transfers, CaseAction};
