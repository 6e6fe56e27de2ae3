#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| binhan_core::fuzzing::online_report(data));
