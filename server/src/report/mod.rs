//! The annual report to the Department of Home Affairs, from de-identified
//! statistical records, with disclosure control.
