// The provincial officer's shelter registry: the list with each commune's
// coverage, the shelter form, a commune's emergency numbers, and publish.
// The core checks every field and signs in the vault; these views draw.
import BinhAnCore
import SwiftUI

struct RegistryScreen: View {
    let view: RegistryView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Text(view.held)
            Text(view.pending)
            Text(view.standardised).font(.headline)
            Text(view.without)
            ActionButtons(actions: view.actions, send: send)
            Heading(text: view.sheltersLabel)
            if let none = view.noShelters { Text(none) }
            ForEach(Array(view.shelters.enumerated()), id: \.offset) { _, row in
                VStack(alignment: .leading, spacing: 4) {
                    Text(row.title).font(.headline)
                    Text(row.subtitle).foregroundStyle(row.standardised ? .green : .primary)
                    if let inactive = row.inactive { Text(inactive).foregroundStyle(.secondary) }
                    ActionButton(action: row.edit, send: send)
                }
            }
            Heading(text: view.coverageLabel)
            ForEach(Array(view.communes.enumerated()), id: \.offset) { _, commune in
                VStack(alignment: .leading, spacing: 4) {
                    Text(commune.name).foregroundStyle(commune.withoutShelter ? .red : .primary)
                    Text(zip(view.columns.dropFirst(), ["\(commune.shelters)", "\(commune.standardised)", commune.numbers])
                        .map { "\($0): \($1)" }.joined(separator: " · "))
                    ActionButton(action: commune.editNumbers, send: send)
                }
                .accessibilityElement(children: .contain)
            }
            Heading(text: view.organisationsLabel)
            if let none = view.noOrganisations { Text(none) }
            ForEach(Array(view.organisations.enumerated()), id: \.offset) { _, row in
                VStack(alignment: .leading, spacing: 4) {
                    Text(row.title).font(.headline)
                    Text(row.subtitle)
                    ActionButton(action: row.edit, send: send)
                }
            }
        }
    }
}

struct RegistryOrganisationScreen: View {
    let view: OrganisationFormView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            ForEach(view.fields, id: \.field) { field in
                FormField(
                    label: field.label, required: field.required, kind: field.kind, value: field.value,
                    help: field.help, error: field.error, send: send
                ) { send(.registry(.setOrganisation(field: field.field, value: $0))) }
            }
            if let none = view.noDevice { Text(none).font(.footnote) }
            ActionButton(action: view.save, send: send)
        }
    }
}

struct RegistryShelterScreen: View {
    let view: ShelterFormView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            ForEach(view.fields, id: \.field) { field in
                FormField(
                    label: field.label, required: field.required, kind: field.kind, value: field.value,
                    help: field.help, error: field.error, send: send
                ) { send(.registry(.setShelter(field: field.field, value: $0))) }
            }
            ActionButton(action: view.save, send: send)
        }
    }
}

struct RegistryNumbersScreen: View {
    let view: NumbersView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Text(view.help).font(.footnote)
            if let empty = view.empty { Text(empty) }
            ForEach(Array(view.errors.enumerated()), id: \.offset) { _, error in ErrorText(reason: error) }
            ForEach(Array(view.rows.enumerated()), id: \.offset) { _, row in
                VStack(alignment: .leading, spacing: 12) {
                    Heading(text: row.title)
                    ForEach(row.fields, id: \.field) { field in
                        FormField(
                            label: field.label, required: true, kind: field.kind, value: field.value,
                            help: nil, error: field.error, send: send
                        ) { send(.registry(.setNumber(row: row.row, field: field.field, value: $0))) }
                    }
                    ActionButton(action: row.remove, send: send)
                }
            }
            ActionButton(action: view.add, send: send)
            ActionButton(action: view.save, send: send)
        }
    }
}

struct RegistryPublishScreen: View {
    let view: PublishView
    let send: Send
    @State private var seed = ""

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Text(view.version).font(.headline)
            ForEach(Array(view.sections.enumerated()), id: \.offset) { _, section in
                VStack(alignment: .leading, spacing: 4) {
                    Heading(text: section.title)
                    if let none = section.empty { Text(none).foregroundStyle(.secondary) }
                    ForEach(Array(section.items.enumerated()), id: \.offset) { _, item in Text(item) }
                }
            }
            if let key = view.key { Text(key).font(.headline) }
            if let noKey = view.noKey { Text(noKey) }
            Text(view.keyHelp).font(.footnote)
            if let generate = view.generate { ActionButton(action: generate, send: send) }
            if let label = view.seedLabel {
                VStack(alignment: .leading, spacing: 4) {
                    Text(label).font(.subheadline)
                    SecureField(label, text: $seed).fieldBox()
                    FieldNote(help: view.seedHelp, error: view.seedError)
                }
                .onChange(of: seed) { _, typed in send(.registry(.setSeed(value: typed))) }
                .onChange(of: view.seedFilled) { _, filled in
                    if filled == 0 { seed = "" }
                }
            }
            if let save = view.saveSeed { ActionButton(action: save, send: send) }
            Running(text: view.running)
            if let error = view.error { ErrorText(reason: error) }
            ActionButton(action: view.confirm, send: send)
        }
    }
}
