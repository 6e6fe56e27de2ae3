//! Reading the PIN and JSON payloads from the environment, standard input or
//! a file.

use binhan_core::{Error, Result, Rule};
use serde::de::DeserializeOwned;
use std::io::{BufRead, Read};
use std::path::Path;
use zeroize::Zeroizing;

/// Where secrets and payloads come from, read once.
pub struct Input {
    stdin_lines: Option<std::vec::IntoIter<String>>,
}

impl Input {
    /// Nothing read yet.
    pub fn new() -> Self {
        Self { stdin_lines: None }
    }

    fn next_stdin_line(&mut self) -> Option<String> {
        self.stdin_lines
            .get_or_insert_with(|| {
                let mut lines = Vec::new();
                let stdin = std::io::stdin();
                let mut line = String::new();
                while stdin.lock().read_line(&mut line).unwrap_or(0) > 0 {
                    lines.push(line.trim_end_matches(['\r', '\n']).to_string());
                    line.clear();
                }
                lines.into_iter()
            })
            .next()
    }

    /// A secret from `var`, else the next line of standard input.
    pub fn secret(&mut self, var: &str, what: &str) -> Result<Zeroizing<String>> {
        if let Ok(value) = std::env::var(var) {
            return Ok(Zeroizing::new(value));
        }
        self.next_stdin_line()
            .map(Zeroizing::new)
            .ok_or_else(|| Error::invalid(what, Rule::Required))
    }

    /// The PIN.
    pub fn pin(&mut self) -> Result<Zeroizing<String>> {
        self.secret("BINHAN_PIN", "pin")
    }

    /// A JSON payload from `file`, else the rest of standard input.
    pub fn json<T: DeserializeOwned>(&mut self, file: Option<&Path>, what: &str) -> Result<T> {
        let text = match file {
            Some(path) => {
                let mut text = String::new();
                std::fs::File::open(path)?.read_to_string(&mut text)?;
                text
            }
            None => {
                let mut text = String::new();
                while let Some(line) = self.next_stdin_line() {
                    text.push_str(&line);
                    text.push('\n');
                }
                text
            }
        };
        parse_json(&text, what)
    }
}

/// Parses `text` as the payload `what` (an empty `what` for a whole form
/// whose paths name themselves); an error names the field that failed and the rule, but
/// quotes none of the input (it may be case content).
pub fn parse_json<T: DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let field = match (path.as_str(), what) {
            (".", _) => what.to_string(),
            (_, "") => path,
            _ => format!("{what}.{path}"),
        };
        let inner = e.into_inner();
        if matches!(
            inner.classify(),
            serde_json::error::Category::Eof | serde_json::error::Category::Syntax
        ) {
            let rule = Rule::BadJson {
                line: u32::try_from(inner.line()).unwrap_or(u32::MAX),
                column: u32::try_from(inner.column()).unwrap_or(u32::MAX),
            };
            return Error::invalid(if what.is_empty() { "json" } else { what }, rule);
        }
        let message = inner.to_string();
        if let Some(missing) = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
        {
            let field = if field.is_empty() {
                missing.to_string()
            } else {
                format!("{field}.{missing}")
            };
            return Error::invalid(field, Rule::Required);
        }
        // The path already ends with the unknown field's name.
        let rule = if message.starts_with("unknown field") {
            Rule::UnknownField
        } else {
            Rule::WrongType
        };
        Error::invalid(field, rule)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use binhan_core::model::Note;

    #[test]
    fn json_errors_name_the_field_and_a_coded_rule() {
        let field_rule = |text: &str| match parse_json::<Note>(text, "note") {
            Err(Error::Invalid { field, rule }) => (field, rule),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field_rule(r#"{"text": "x", "bogus": 1}"#),
            ("note.bogus".to_string(), Rule::UnknownField)
        );
        assert_eq!(field_rule("{}"), ("note.text".to_string(), Rule::Required));
        assert_eq!(
            field_rule(r#"{"text": 1}"#),
            ("note.text".to_string(), Rule::WrongType)
        );
        assert_eq!(
            field_rule("{ not json").1,
            Rule::BadJson { line: 1, column: 3 }
        );
    }
}
