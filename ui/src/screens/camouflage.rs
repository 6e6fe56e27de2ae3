//! The camouflage: a calculator that really calculates.
//!
//! The secret sequence that opens the PIN pad: **type six or more digits
//! (any digits, never the PIN), then press = twice**, with no operator in
//! between. On a bare number "=" does nothing in an ordinary calculator, so
//! the sequence does not occur in everyday sums, and since any digits work,
//! someone watching learns no secret from it: the PIN pad is still
//! protected by the PIN. The display is cleared when the sequence opens the
//! PIN pad.

use crate::event::CalcKey;
use crate::text::T;
use binhan_core::model::Lang;
use serde::Serialize;

/// Digits of a bare number before "= =" opens the PIN pad.
pub const SECRET_DIGITS: u32 = 6;
/// The most digits one number may have.
const MAX_DIGITS: usize = 15;

/// What the calculator shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CalculatorView {
    /// The display.
    pub display: String,
    /// The pending operation, e.g. `12 +`, or empty.
    pub expression: String,
}

/// A binary operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Subtract,
    Multiply,
    Divide,
}

impl Op {
    fn symbol(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Subtract => "−",
            Op::Multiply => "×",
            Op::Divide => "÷",
        }
    }

    fn apply(self, a: f64, b: f64) -> Option<f64> {
        let r = match self {
            Op::Add => a + b,
            Op::Subtract => a - b,
            Op::Multiply => a * b,
            Op::Divide if b == 0.0 => return None,
            Op::Divide => a / b,
        };
        r.is_finite().then_some(r)
    }
}

/// What a key press led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pressed {
    /// An ordinary calculator step.
    Calculated,
    /// The secret sequence was completed.
    Secret,
}

/// The calculator's state.
#[derive(Debug, Clone, Default)]
pub(crate) struct Calculator {
    /// The number being typed, as typed.
    entry: String,
    /// The left operand and the operation waiting for the right one.
    pending: Option<(f64, Op)>,
    /// The last result shown when no number is being typed.
    shown: Option<f64>,
    /// A division by zero or overflow is on display.
    error: bool,
    /// Consecutive "=" pressed on a bare number of at least SECRET_DIGITS digits.
    equals_streak: u32,
}

impl Calculator {
    /// Presses `key`.
    pub(crate) fn press(&mut self, key: CalcKey) -> Pressed {
        if key != CalcKey::Equals {
            self.equals_streak = 0;
        }
        match key {
            CalcKey::Digit { digit } if digit <= 9 => {
                self.error = false;
                if self.entry.len() < MAX_DIGITS {
                    if self.entry == "0" {
                        self.entry.clear();
                    }
                    self.entry.push(char::from(b'0' + digit));
                }
            }
            CalcKey::Digit { .. } => {}
            CalcKey::Point => {
                self.error = false;
                if self.entry.is_empty() {
                    self.entry.push('0');
                }
                if !self.entry.contains('.') {
                    self.entry.push('.');
                }
            }
            CalcKey::Backspace => {
                self.entry.pop();
            }
            CalcKey::Clear => *self = Self::default(),
            CalcKey::Add => self.operate(Op::Add),
            CalcKey::Subtract => self.operate(Op::Subtract),
            CalcKey::Multiply => self.operate(Op::Multiply),
            CalcKey::Divide => self.operate(Op::Divide),
            CalcKey::Equals => return self.equals(),
        }
        Pressed::Calculated
    }

    fn current(&self) -> Option<f64> {
        if self.entry.is_empty() {
            self.shown
        } else {
            self.entry.parse().ok()
        }
    }

    fn operate(&mut self, op: Op) {
        if self.error {
            return;
        }
        let value = self.current().unwrap_or(0.0);
        let left = match (self.pending, self.entry.is_empty()) {
            (Some((left, prev)), false) => match prev.apply(left, value) {
                Some(r) => r,
                None => return self.fail(),
            },
            (Some((left, _)), true) => left,
            (None, _) => value,
        };
        self.pending = Some((left, op));
        self.shown = Some(left);
        self.entry.clear();
    }

    fn equals(&mut self) -> Pressed {
        if let Some((left, op)) = self.pending.take() {
            self.equals_streak = 0;
            let right = self.current().unwrap_or(left);
            self.entry.clear();
            match op.apply(left, right) {
                Some(r) => self.shown = Some(r),
                None => self.fail(),
            }
            return Pressed::Calculated;
        }
        let bare_digits = self.entry.bytes().filter(u8::is_ascii_digit).count();
        let is_bare_number = !self.entry.contains('.') && bare_digits as u32 >= SECRET_DIGITS;
        if !is_bare_number {
            self.equals_streak = 0;
            return Pressed::Calculated;
        }
        self.equals_streak += 1;
        if self.equals_streak >= 2 {
            *self = Self::default();
            return Pressed::Secret;
        }
        Pressed::Calculated
    }

    fn fail(&mut self) {
        *self = Self {
            error: true,
            ..Self::default()
        };
    }

    /// The view in `lang`.
    pub(crate) fn view(&self, lang: Lang) -> CalculatorView {
        let display = if self.error {
            T::CalcError.get(lang)
        } else if !self.entry.is_empty() {
            self.entry.clone()
        } else {
            format_number(self.shown.unwrap_or(0.0))
        };
        let expression = match self.pending {
            Some((left, op)) => format!("{} {}", format_number(left), op.symbol()),
            None => String::new(),
        };
        CalculatorView {
            display,
            expression,
        }
    }
}

/// A result with at most 12 significant digits and no trailing zeros.
fn format_number(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if x.abs() >= 1e15 || x.abs() < 1e-9 {
        return format!("{x:.6e}");
    }
    let digits_before = x.abs().log10().floor() as i32 + 1;
    let decimals = (12 - digits_before).clamp(0, 12) as usize;
    let text = format!("{x:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(calc: &mut Calculator, text: &str) -> Vec<Pressed> {
        text.chars()
            .map(|c| {
                let key = match c {
                    '0'..='9' => CalcKey::Digit {
                        digit: c as u8 - b'0',
                    },
                    '.' => CalcKey::Point,
                    '+' => CalcKey::Add,
                    '-' => CalcKey::Subtract,
                    '*' => CalcKey::Multiply,
                    '/' => CalcKey::Divide,
                    '=' => CalcKey::Equals,
                    'C' => CalcKey::Clear,
                    '<' => CalcKey::Backspace,
                    _ => panic!("no key {c}"),
                };
                calc.press(key)
            })
            .collect()
    }

    fn shows(text: &str) -> String {
        let mut calc = Calculator::default();
        keys(&mut calc, text);
        calc.view(Lang::En).display
    }

    #[test]
    fn it_really_calculates() {
        assert_eq!(shows("12+30="), "42");
        assert_eq!(shows("2+3*4="), "20"); // left to right, like a pocket calculator
        assert_eq!(shows("7/2="), "3.5");
        assert_eq!(shows("1/3="), "0.333333333333");
        assert_eq!(shows("0.1+0.2="), "0.3");
        assert_eq!(shows("5-8="), "-3");
        assert_eq!(shows("12<3"), "13");
        assert_eq!(shows("9/0="), "Error");
        assert_eq!(shows("9/0=C"), "0");
        assert_eq!(shows("10+"), "10");
        let mut calc = Calculator::default();
        keys(&mut calc, "10+");
        assert_eq!(calc.view(Lang::Vi).expression, "10 +");
    }

    #[test]
    fn six_digits_and_equals_twice_is_the_secret() {
        let mut calc = Calculator::default();
        let pressed = keys(&mut calc, "274916==");
        assert_eq!(pressed.last(), Some(&Pressed::Secret));
        assert_eq!(calc.view(Lang::Vi).display, "0", "display cleared");
        assert_eq!(
            keys(&mut Calculator::default(), "1234567890=="),
            [vec![Pressed::Calculated; 11], vec![Pressed::Secret]].concat()
        );
    }

    #[test]
    fn everyday_sums_do_not_open_the_pin_pad() {
        for text in [
            "27491==",    // five digits
            "274916=1=",  // broken streak
            "274916+1==", // an operation
            "2749.16==",  // a decimal
            "274916=<=",  // backspace in between
            "1+274916==", // the equals complete a sum first
        ] {
            let mut calc = Calculator::default();
            assert!(!keys(&mut calc, text).contains(&Pressed::Secret), "{text}");
        }
    }

    #[test]
    fn digits_above_nine_are_ignored() {
        let mut calc = Calculator::default();
        calc.press(CalcKey::Digit { digit: 12 });
        assert_eq!(calc.view(Lang::En).display, "0");
    }
}
