// The screen of the core's view model: the toolbar (back, quick exit), the
// messages, one view per screen kind, and the emergency button. The views
// draw the texts, choices and actions they are given and send back the
// event of what was tapped or typed; whether an action is allowed, and why
// not, comes from the core. Text styles only (Dynamic Type), buttons at
// least 44 points high, one column that fits a small iPhone.
import BinhAnCore
import SwiftUI

/// Sends an event to the core (through the app model).
typealias Send = @MainActor (Event) -> Void

struct AppScreen: View {
    let view: ViewModel
    let send: Send

    var body: some View {
        NavigationStack {
            ScrollView {
                VStack(alignment: .leading, spacing: 16) {
                    ForEach(Array(view.messages.enumerated()), id: \.offset) { _, notice in
                        NoticeText(notice: notice)
                    }
                    ScreenContent(screen: view.screen, send: send)
                }
                .padding()
                .frame(maxWidth: .infinity, alignment: .leading)
            }
            .navigationTitle(view.title)
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                if view.canGoBack {
                    ToolbarItem(placement: .topBarLeading) {
                        Button { send(.back) } label: {
                            Image(systemName: "chevron.backward")
                                .frame(minWidth: 44, minHeight: 44)
                        }
                    }
                }
                if let quickExit = view.quickExit {
                    ToolbarItem(placement: .topBarTrailing) {
                        Button(quickExit.label) { send(quickExit.event) }
                            .buttonStyle(.borderedProminent)
                            .tint(.red)
                            .disabled(!quickExit.enabled)
                            .accessibilityHint(quickExit.disabledReason?.text ?? "")
                    }
                }
            }
            .safeAreaInset(edge: .bottom) {
                if let emergency = view.emergency {
                    ActionButton(action: emergency, send: send, role: .destructive)
                        .padding([.horizontal, .bottom])
                        .background(.bar)
                }
            }
        }
        // Messages are spoken as they appear.
        .onChange(of: view.messages) { _, messages in
            for notice in messages {
                AccessibilityNotification.Announcement(notice.reason.text).post()
            }
        }
    }
}

/// One view per screen kind. The switch is exhaustive: a screen kind the
/// core adds fails this build until it is drawn here.
struct ScreenContent: View {
    let screen: Screen
    let send: Send

    var body: some View {
        switch screen {
        case .camouflage(let view): CalculatorScreen(view: view, send: send)
        case .setup(let view): SetupScreen(view: view, send: send)
        case .pinPad(let view): PinPadScreen(view: view, send: send)
        case .emergency(let view): EmergencyScreen(view: view, send: send)
        case .home(let view): HomeScreen(view: view, send: send)
        case .caseList(let view): CaseListScreen(view: view, send: send)
        case .caseSummary(let view): CaseSummaryScreen(view: view, send: send)
        case .caseWork(let view): CaseWorkScreen(view: view, send: send)
        case .recordIncident(let view): IntakeScreen(view: view, send: send)
        case .findShelter(let view): FinderScreen(view: view, send: send)
        case .invite(let view): InviteScreen(view: view, send: send)
        case .devices(let view): DevicesScreen(view: view, send: send)
        case .hostDesk(let view): HostDeskScreen(view: view, send: send)
        case .referralInbox(let view): ReferralInboxScreen(view: view, send: send)
        case .overdueReferrals(let view): OverdueReferralsScreen(view: view, send: send)
        case .sync(let view): SyncScreen(view: view, send: send)
        case .enrol(let view): EnrolScreen(view: view, send: send)
        case .conflicts(let view): ConflictsScreen(view: view, send: send)
        case .settings(let view): SettingsScreen(view: view, send: send)
        case .changePin(let view): PinFormScreen(view: view, send: send)
        case .duressPin(let view): PinFormScreen(view: view, send: send)
        case .confirmWipe(let view): ConfirmWipeScreen(view: view, send: send)
        case .registry(let view): RegistryScreen(view: view, send: send)
        case .registryShelter(let view): RegistryShelterScreen(view: view, send: send)
        case .registryOrganisation(let view): RegistryOrganisationScreen(view: view, send: send)
        case .registryNumbers(let view): RegistryNumbersScreen(view: view, send: send)
        case .registryPublish(let view): RegistryPublishScreen(view: view, send: send)
        case .registries(let view): RegistriesScreen(view: view, send: send)
        case .registryEntry(let view): RegistryEntryScreen(view: view, send: send)
        case .registryImport(let view): RegistryImportScreen(view: view, send: send)
        case .report(let view): ReportScreen(view: view, send: send)
        }
    }
}

// MARK: - Pieces every screen uses

/// A button for an action; a disabled one says why under it, and VoiceOver
/// speaks the reason as the button's hint.
struct ActionButton: View {
    let action: Action
    let send: Send
    var role: ButtonRole?

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Button(role: role) { send(action.event) } label: {
                Text(action.label)
                    .frame(maxWidth: .infinity, minHeight: 44)
            }
            .buttonStyle(.borderedProminent)
            .tint(role == .destructive ? Color.red : Color.accentColor)
            .disabled(!action.enabled)
            .accessibilityHint(action.disabledReason?.text ?? "")
            if let reason = action.disabledReason {
                Text(reason.text)
                    .font(.footnote)
                    .foregroundStyle(.secondary)
                    .accessibilityHidden(true)
            }
        }
    }
}

/// Several actions, one under the other.
struct ActionButtons: View {
    let actions: [Action]
    let send: Send

    var body: some View {
        ForEach(Array(actions.enumerated()), id: \.offset) { _, action in
            ActionButton(action: action, send: send)
        }
    }
}

/// Choices, one per line, the selected ones ticked; tapping one sends its
/// event (the core decides what selecting means).
struct Choices: View {
    let choices: [Choice]
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            ForEach(Array(choices.enumerated()), id: \.offset) { _, choice in
                Button { send(choice.event) } label: {
                    HStack {
                        Image(systemName: choice.selected ? "checkmark.circle.fill" : "circle")
                            .accessibilityHidden(true)
                        Text(choice.label)
                            .multilineTextAlignment(.leading)
                        Spacer(minLength: 0)
                    }
                    .frame(maxWidth: .infinity, minHeight: 44, alignment: .leading)
                    .contentShape(Rectangle())
                }
                .buttonStyle(.plain)
                .accessibilityAddTraits(choice.selected ? .isSelected : [])
            }
        }
    }
}

struct NoticeText: View {
    let notice: Notice

    var body: some View {
        switch notice.level {
        case .info: Text(notice.reason.text).foregroundStyle(.tint)
        case .error: ErrorText(reason: notice.reason)
        }
    }
}

struct ErrorText: View {
    let reason: Reason

    var body: some View {
        Text(reason.text).foregroundStyle(.red)
    }
}

struct Heading: View {
    let text: String

    var body: some View {
        Text(text).font(.headline).accessibilityAddTraits(.isHeader)
    }
}

/// A label over its value, read as one by VoiceOver.
struct LabelledRows: View {
    let rows: [LabelledValue]

    var body: some View {
        ForEach(Array(rows.enumerated()), id: \.offset) { _, row in
            VStack(alignment: .leading, spacing: 2) {
                Text(row.label).font(.subheadline).foregroundStyle(.secondary)
                Text(row.value)
            }
            .accessibilityElement(children: .combine)
        }
    }
}

/// A PIN field: the typed value stays in the widget; the core only says how
/// many characters it holds, and 0 clears the widget.
struct SecretField: View {
    let field: SecretFieldView
    let send: Send
    @State private var text = ""

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(field.label).font(.subheadline)
            SecureField(field.label, text: $text)
                .keyboardType(.numberPad)
                .fieldBox()
            FieldNote(help: field.help, error: field.error)
        }
        .onChange(of: text) { _, typed in send(.setField(field: field.field, value: typed)) }
        .onChange(of: field.filled) { _, filled in
            if filled == 0 { text = "" }
        }
    }
}

/// A line of plain text for the core (server address, code, label).
struct PlainField: View {
    let field: TextFieldView
    let send: Send
    @State private var text: String

    init(field: TextFieldView, send: @escaping Send) {
        self.field = field
        self.send = send
        _text = State(initialValue: field.value)
    }

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(field.label).font(.subheadline)
            TextField(field.label, text: $text)
                .textInputAutocapitalization(.never)
                .autocorrectionDisabled()
                .fieldBox()
            FieldNote(help: field.help, error: field.error)
        }
        .onChange(of: text) { _, typed in send(.setField(field: field.field, value: typed)) }
    }
}

/// Under a field: its error, or else its help.
struct FieldNote: View {
    let help: String?
    let error: Reason?

    var body: some View {
        if let error {
            ErrorText(reason: error).font(.footnote)
        } else if let help {
            Text(help).font(.footnote).foregroundStyle(.secondary)
        }
    }
}

extension View {
    /// A text field's frame: a bordered box with a 44-point target.
    func fieldBox() -> some View {
        padding(.horizontal, 8)
            .frame(minHeight: 44)
            .overlay(RoundedRectangle(cornerRadius: 8).stroke(.secondary))
    }
}
