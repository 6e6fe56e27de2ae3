//! The server's integration tests, in one test binary (one link, one copy of
//! the server and core on disk, instead of one per file): a real
//! `binhan-server` on loopback with SQLite (and PostgreSQL where
//! `BINHAN_TEST_POSTGRES_URL` is set), phones that enrol and sync with it, and
//! the in-process transport over the same router. Synthetic data only.

#[macro_use]
mod support;

mod activities_api;
mod closure_approval;
mod demo_runs;
mod device_directory;
mod online_intake;
mod online_reports;
mod referrals;
mod registries_api;
mod registry_publish;
mod report_api;
mod roads_sync;
mod school_cases;
mod shelters_sync;
mod statistics_upload;
mod sync_bad_input;
mod sync_basic;
mod sync_bounded;
mod sync_faults;
mod sync_in_process;
mod sync_quarantine;
mod sync_snapshot_signatures;
mod team_consent;
mod team_managers;
mod team_pages;
mod transfer;
mod trust_revocation;
mod trust_root;
mod trust_statistics;
mod unauthenticated_limits;
