//! `binhan console`: starts the browser console over the vault and serves
//! until the process is stopped.

use binhan_core::app::VaultOptions;
use binhan_core::model::Lang;
use binhan_core::{Error, Result};
use serde_json::Value;
use std::io::Write;
use std::path::Path;

/// Starts the console, prints its one-time address, serves.
pub fn run(vault: &Path, lang: &str) -> Result<Value> {
    let lang = match lang {
        "vi" => Lang::Vi,
        "en" => Lang::En,
        _ => return Err(Error::invalid("lang", binhan_core::Rule::NotInList)),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let options = binhan_ui::Options {
            vault: VaultOptions::default(),
            lang,
            ..binhan_ui::Options::default()
        };
        let console = binhan_console::Console::start(vault.to_path_buf(), options).await?;
        // The address is the one secret of the session: stdout only, never
        // a log.
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", serde_json::json!({ "url": console.url }))?;
        out.flush()?;
        drop(out);
        console.wait().await;
        Ok(Value::Null)
    })
}
