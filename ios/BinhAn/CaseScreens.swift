// The screens about cases: the home, the case list, a case's summary, the
// intake form and the conflicts to resolve. Which rows, fields, steps and
// problems there are, and what may be saved, comes from the core.
import BinhAnCore
import SwiftUI

struct HomeScreen: View {
    let view: HomeView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            ActionButtons(actions: view.actions, send: send)
            if let conflictsLabel = view.conflictsLabel {
                Heading(text: conflictsLabel).foregroundStyle(.red)
            }
            CaseRows(rows: view.conflicts, send: send)
            Heading(text: view.overdueLabel)
            CaseRows(rows: view.overdue, send: send)
            Heading(text: view.dueTodayLabel)
            CaseRows(rows: view.dueToday, send: send)
            if let more = view.more { ActionButton(action: more, send: send) }
            if let nothingDue = view.nothingDue { Text(nothingDue) }
            Heading(text: view.recentLabel)
            CaseRows(rows: view.recent, send: send)
            if let noCases = view.noCases { Text(noCases) }
        }
    }
}

/// Cases, each opening its summary when tapped.
struct CaseRows: View {
    let rows: [CaseRow]
    let send: Send

    var body: some View {
        ForEach(rows, id: \.id) { row in
            Button { send(row.open) } label: {
                VStack(alignment: .leading, spacing: 2) {
                    Text(row.title).font(.headline)
                    Text(row.subtitle)
                    Text([row.risk, row.status, row.followUp, row.conflicts, row.updated]
                        .compactMap { $0 }.joined(separator: " · "))
                        .font(.subheadline)
                        .foregroundStyle(row.overdue ? Color.red : Color.secondary)
                }
                .frame(maxWidth: .infinity, minHeight: 44, alignment: .leading)
                .contentShape(Rectangle())
            }
            .buttonStyle(.plain)
            .accessibilityElement(children: .combine)
            .accessibilityAddTraits(.isButton)
            Divider()
        }
    }
}

struct CaseListScreen: View {
    let view: CaseListView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Heading(text: view.statusLabel)
            Choices(choices: view.statusChoices, send: send)
            Heading(text: view.riskLabel)
            Choices(choices: view.riskChoices, send: send)
            Text(view.count)
            if let unreadable = view.unreadable { ErrorText(reason: unreadable) }
            if let empty = view.empty { Text(empty) }
            CaseRows(rows: view.rows, send: send)
            if let more = view.more { ActionButton(action: more, send: send) }
        }
    }
}

struct CaseSummaryScreen: View {
    let view: CaseSummaryView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Text(view.heading).font(.title2).accessibilityAddTraits(.isHeader)
            LabelledRows(rows: view.rows)
            ActionButtons(actions: view.actions, send: send)
            ForEach(view.sections, id: \.code) { section in
                VStack(alignment: .leading, spacing: 8) {
                    Heading(text: section.title)
                    ForEach(Array(section.items.enumerated()), id: \.offset) { _, item in
                        VStack(alignment: .leading, spacing: 2) {
                            Text(item.title)
                            if let detail = item.detail { Text(detail).font(.callout) }
                            Text(item.meta).font(.caption)
                        }
                        .accessibilityElement(children: .combine)
                    }
                    if let empty = section.empty { Text(empty) }
                    if let more = section.more { Text(more).font(.caption) }
                    if let add = section.add { ActionButton(action: add, send: send) }
                }
            }
        }
    }
}

/// Work on a case: a service or referral, a follow-up, a note, closing,
/// reopening.
struct CaseWorkScreen: View {
    let view: WorkView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Heading(text: view.heading)
            ForEach(view.fields, id: \.field) { FormField(work: $0, send: send) }
            if let preview = view.preview {
                VStack(alignment: .leading, spacing: 8) {
                    Heading(text: preview.heading)
                    Text(preview.contact)
                    LabelledRows(rows: preview.sent)
                    Text(preview.notSent)
                    Text(preview.due)
                    Text(preview.consent)
                }
            }
            ActionButton(action: view.save, send: send)
        }
    }
}

/// Record an incident: one step of the form, or the review.
struct IntakeScreen: View {
    let view: IntakeView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Heading(text: view.stepLabel)
            Choices(choices: view.steps, send: send)
            if let hint = view.hint { Text(hint) }
            ForEach(view.fields, id: \.field) { FormField(field: $0, send: send) }
            ForEach(Array(view.rows.enumerated()), id: \.offset) { _, row in
                VStack(alignment: .leading, spacing: 12) {
                    Heading(text: row.title)
                    ForEach(row.fields, id: \.field) { FormField(field: $0, send: send) }
                    ActionButton(action: row.remove, send: send)
                }
            }
            if let addRow = view.addRow { ActionButton(action: addRow, send: send) }
            ForEach(Array(view.review.enumerated()), id: \.offset) { _, section in
                VStack(alignment: .leading, spacing: 8) {
                    Heading(text: section.title)
                    LabelledRows(rows: section.rows)
                    ActionButton(action: section.edit, send: send)
                }
            }
            if let problemsLabel = view.problemsLabel { Text(problemsLabel).foregroundStyle(.red) }
            ForEach(Array(view.problems.enumerated()), id: \.offset) { _, problem in
                ActionButton(action: problem.go, send: send)
            }
            if let next = view.next { ActionButton(action: next, send: send) }
            if let save = view.save { ActionButton(action: save, send: send) }
            ActionButton(action: view.discard, send: send)
        }
    }
}

/// One field of the form: its choices, or the text typed into it (kept in
/// the widget while typing, as it was given when the field appeared).
struct FormField: View {
    let label: String
    let required: Bool
    let kind: FieldKind
    let help: String?
    let error: Reason?
    let onText: (String) -> Void
    let send: Send
    @State private var text: String

    /// An intake field (`SetIntake` with its row).
    init(field: FieldView, send: @escaping Send) {
        self.init(
            label: field.label, required: field.required, kind: field.kind, value: field.value,
            help: field.help, error: field.error, send: send
        ) { send(.setIntake(field: field.field, row: field.row, value: $0)) }
    }

    /// A case-work field (`SetWork`).
    init(work field: WorkFieldView, send: @escaping Send) {
        self.init(
            label: field.label, required: field.required, kind: field.kind, value: field.value,
            help: field.help, error: field.error, send: send
        ) { send(.setWork(field: field.field, value: $0)) }
    }

    init(
        label: String, required: Bool, kind: FieldKind, value: String, help: String?, error: Reason?,
        send: @escaping Send, onText: @escaping (String) -> Void
    ) {
        self.label = label
        self.required = required
        self.kind = kind
        self.help = help
        self.error = error
        self.send = send
        self.onText = onText
        _text = State(initialValue: value)
    }

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(required ? label + " *" : label).font(.subheadline)
            switch kind {
            case .choice(let options):
                OneOf(label: label, options: options, send: send)
            case .multiChoice(let options), .yesNo(let options):
                Choices(choices: options, send: send)
            case .text(let multiline, _):
                TextField(label, text: $text, axis: multiline ? .vertical : .horizontal)
                    .fieldBox()
            case .date:
                TextField(label, text: $text)
                    .keyboardType(.numbersAndPunctuation)
                    .fieldBox()
            case .number:
                TextField(label, text: $text)
                    .keyboardType(.numberPad)
                    .fieldBox()
            }
            FieldNote(help: help, error: error)
        }
        .onChange(of: text) { _, typed in onText(typed) }
    }
}

/// A choice of one among many (a commune among the province's): a menu
/// showing the chosen one.
struct OneOf: View {
    let label: String
    let options: [Choice]
    let send: Send

    var body: some View {
        let chosen = options.first(where: \.selected)?.label
        Menu {
            ForEach(Array(options.enumerated()), id: \.offset) { _, option in
                Button { send(option.event) } label: {
                    if option.selected {
                        SwiftUI.Label(option.label, systemImage: "checkmark")
                    } else {
                        Text(option.label)
                    }
                }
            }
        } label: {
            HStack {
                Text(chosen ?? "—").multilineTextAlignment(.leading)
                Spacer(minLength: 0)
                Image(systemName: "chevron.up.chevron.down").accessibilityHidden(true)
            }
            .frame(maxWidth: .infinity, minHeight: 44)
        }
        .fieldBox()
        .accessibilityLabel(label)
        .accessibilityValue(chosen ?? "")
    }
}

/// Values two phones wrote without seeing each other's, one under the other,
/// each with its "keep this one".
struct ConflictsScreen: View {
    let view: ConflictsView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Text(view.heading).font(.title2).accessibilityAddTraits(.isHeader)
            Text(view.intro)
            if let none = view.none { Text(none) }
            ForEach(Array(view.conflicts.enumerated()), id: \.offset) { _, conflict in
                VStack(alignment: .leading, spacing: 12) {
                    Heading(text: conflict.label)
                    ForEach(Array(conflict.candidates.enumerated()), id: \.offset) { _, candidate in
                        VStack(alignment: .leading, spacing: 4) {
                            Text(candidate.value)
                            Text(verbatim: "\(candidate.by) · \(candidate.at)")
                                .font(.footnote)
                                .foregroundStyle(.secondary)
                            ActionButton(action: candidate.keep, send: send)
                        }
                    }
                }
            }
        }
    }
}
