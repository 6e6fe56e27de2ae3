// The screens around the lock: the camouflage calculator, the PIN pad, the
// first run, PIN changes, settings, the wipe confirmation and the emergency
// numbers. The core recognises the secret sequence, checks PINs and counts
// attempts; these views only send keys and typed text.
import BinhAnCore
import SwiftUI

/// The camouflage: an ordinary calculator.
struct CalculatorScreen: View {
    let view: CalculatorView
    let send: Send

    private static let rows: [[(label: String, key: CalcKey)]] = [
        [("7", .digit(digit: 7)), ("8", .digit(digit: 8)), ("9", .digit(digit: 9)), ("÷", .divide)],
        [("4", .digit(digit: 4)), ("5", .digit(digit: 5)), ("6", .digit(digit: 6)), ("×", .multiply)],
        [("1", .digit(digit: 1)), ("2", .digit(digit: 2)), ("3", .digit(digit: 3)), ("−", .subtract)],
        [("0", .digit(digit: 0)), (".", .point), ("=", .equals), ("+", .add)],
        [("C", .clear), ("⌫", .backspace)],
    ]

    var body: some View {
        VStack(alignment: .trailing, spacing: 8) {
            Text(view.expression)
                .font(.title3)
                .foregroundStyle(.secondary)
                .frame(maxWidth: .infinity, alignment: .trailing)
            Text(view.display)
                .font(.largeTitle.monospacedDigit())
                .lineLimit(1)
                .minimumScaleFactor(0.4)
                .frame(maxWidth: .infinity, alignment: .trailing)
            Grid(horizontalSpacing: 8, verticalSpacing: 8) {
                ForEach(Self.rows.indices, id: \.self) { row in
                    GridRow {
                        ForEach(Self.rows[row], id: \.label) { key in
                            KeyButton(label: key.label, enabled: true) {
                                send(.calculator(key: key.key))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A key of the calculator or the PIN pad.
struct KeyButton: View {
    let label: String
    let enabled: Bool
    let tap: @MainActor () -> Void

    var body: some View {
        Button { tap() } label: {
            Text(label)
                .font(.title2)
                .frame(maxWidth: .infinity, minHeight: 56)
        }
        .buttonStyle(.bordered)
        .disabled(!enabled)
    }
}

struct PinPadScreen: View {
    let view: PinPadView
    let send: Send

    private static let digits: [[UInt8]] = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Text(view.prompt)
            // One dot per digit typed; the digits stay in the core.
            Text(view.filled == 0 ? " " : String(repeating: "●", count: Int(view.filled)))
                .font(.title)
                .frame(maxWidth: .infinity)
            if let problem = view.problem { ErrorText(reason: problem) }
            if let countdown = view.countdown { ErrorText(reason: countdown.reason) }
            Grid(horizontalSpacing: 8, verticalSpacing: 8) {
                ForEach(Self.digits, id: \.self) { keys in
                    GridRow {
                        ForEach(keys, id: \.self) { digit($0) }
                    }
                }
                GridRow {
                    Color.clear.gridCellUnsizedAxes([.horizontal, .vertical])
                    digit(0)
                    KeyButton(label: "⌫", enabled: view.keysEnabled) { send(.pinPad(key: .backspace)) }
                }
            }
            .accessibilityHint(view.countdown?.reason.text ?? "")
            ActionButton(action: view.submit, send: send)
        }
    }

    private func digit(_ digit: UInt8) -> some View {
        KeyButton(label: String(digit), enabled: view.keysEnabled) {
            send(.pinPad(key: .digit(digit: digit)))
        }
    }
}

/// First run: the PIN, its repetition and the optional duress PIN.
struct SetupScreen: View {
    let view: SetupView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Text(view.intro)
            SecretFields(fields: view.fields, send: send)
            ActionButton(action: view.create, send: send)
        }
    }
}

/// Changing the PIN, or setting the duress PIN.
struct PinFormScreen: View {
    let view: PinFormView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            SecretFields(fields: view.fields, send: send)
            ActionButton(action: view.save, send: send)
        }
    }
}

struct SecretFields: View {
    let fields: [SecretFieldView]
    let send: Send

    var body: some View {
        ForEach(fields, id: \.field) { field in
            SecretField(field: field, send: send)
        }
    }
}

struct SettingsScreen: View {
    let view: SettingsView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Heading(text: view.languageLabel)
            Choices(choices: view.languages, send: send)
            ActionButton(action: view.changePin, send: send)
            ActionButton(action: view.duressPin, send: send)
            ActionButton(action: view.wipe, send: send, role: .destructive)
        }
    }
}

struct ConfirmWipeScreen: View {
    let view: ConfirmWipeView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Text(view.warning)
            ActionButton(action: view.confirm, send: send, role: .destructive)
            ActionButton(action: view.cancel, send: send)
        }
    }
}

struct EmergencyScreen: View {
    let view: EmergencyView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Text(view.intro)
            ForEach(view.numbers, id: \.number) { number in
                VStack(alignment: .leading, spacing: 4) {
                    Text(number.label)
                    ActionButton(action: number.call, send: send)
                }
            }
        }
    }
}
