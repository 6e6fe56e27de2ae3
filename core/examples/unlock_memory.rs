//! Peak memory of one unlock with the default Argon2id parameters.
//!
//! Run: `cargo run --release -p binhan-core --example unlock_memory`
//!
//! Creates a vault in a temporary directory, then starts itself again so the
//! unlock runs in a fresh process, and prints that process's peak resident
//! memory (VmHWM from /proc/self/status, Linux and Android only) before and
//! after the single unlock.

use std::path::Path;
use std::process::Command;

use binhan_core::vault::{KdfParams, KeyVault, VaultPolicy};

/// Synthetic PIN for the measurement.
const PIN: &str = "274916";

fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn unlock_once(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let vault = KeyVault::open(dir, None)?;
    let before = vm_hwm_kib().ok_or("VmHWM is not available on this system")?;
    let started = std::time::Instant::now();
    vault.unlock(PIN)?;
    let elapsed = started.elapsed();
    let after = vm_hwm_kib().ok_or("VmHWM is not available on this system")?;
    let kdf = vault.kdf_params();
    println!(
        "kdf: m={} KiB t={} p={}",
        kdf.memory_kib, kdf.iterations, kdf.parallelism
    );
    println!("VmHWM before unlock: {before} KiB");
    println!("VmHWM after unlock:  {after} KiB");
    println!(
        "peak growth:         {} KiB ({:.1} MiB)",
        after.saturating_sub(before),
        after.saturating_sub(before) as f64 / 1024.0
    );
    println!(
        "unlock time:         {:.0} ms",
        elapsed.as_secs_f64() * 1000.0
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if let [_, mode, dir] = args.as_slice() {
        if mode == "--unlock" {
            return unlock_once(Path::new(dir));
        }
    }
    let dir = tempfile::tempdir()?;
    KeyVault::create(
        dir.path(),
        PIN,
        VaultPolicy::default(),
        KdfParams::default(),
        None,
    )?;
    let status = Command::new(std::env::current_exe()?)
        .arg("--unlock")
        .arg(dir.path())
        .status()?;
    if !status.success() {
        return Err(format!("the unlock process failed: {status}").into());
    }
    Ok(())
}
