// The programme registries desk (commune case managers and the provincial
// officer): the lists, the entry form with its attendees' rows, and the
// import screen. The core checks every field and reads the chosen file;
// these views draw its state and hand the file's name and bytes over.
import BinhAnCore
import SwiftUI
import UniformTypeIdentifiers

struct RegistriesScreen: View {
    let view: RegistriesView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Text(view.intro)
            // A manager keeps one registry: no tabs to choose between.
            if view.tabs.count > 1 { Choices(choices: view.tabs, send: send) }
            Running(text: view.running)
            if let error = view.error { ErrorText(reason: error) }
            ActionButtons(actions: [view.add] + (view.`import`.map { [$0] } ?? []) + [view.reload], send: send)
            if let empty = view.empty { Text(empty) }
            ForEach(Array(view.rows.enumerated()), id: \.offset) { _, row in
                VStack(alignment: .leading, spacing: 4) {
                    Heading(text: row.title)
                    Text(row.subtitle)
                    if let attendees = row.attendees { Text(attendees).foregroundStyle(.secondary) }
                    ActionButton(action: row.edit, send: send)
                }
                Divider()
            }
        }
    }
}

struct RegistryEntryScreen: View {
    let view: RegistryEntryView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            if let help = view.help { Text(help).font(.footnote) }
            ForEach(view.fields, id: \.field) { field in
                FormField(
                    label: field.label, required: field.required, kind: field.kind, value: field.value,
                    help: field.help, error: field.error, send: send
                ) { send(.registries(event: .setEntry(field: field.field, value: $0))) }
            }
            if let label = view.attendeesLabel { Heading(text: label) }
            if let none = view.noAttendees { Text(none).foregroundStyle(.secondary) }
            VStack(alignment: .leading, spacing: 16) {
                ForEach(view.attendees, id: \.row) { row in
                    VStack(alignment: .leading, spacing: 12) {
                        Heading(text: row.title)
                        ForEach(row.fields, id: \.field) { field in
                            FormField(
                                label: field.label, required: field.required, kind: field.kind, value: field.value,
                                help: field.help, error: field.error, send: send
                            ) { send(.registries(event: .setAttendee(row: row.row, field: field.field, value: $0))) }
                        }
                        ActionButton(action: row.remove, send: send)
                    }
                    .accessibilityElement(children: .contain)
                }
            }
            // After a row is added or removed, every row's text is taken
            // again from the core, not kept by position.
            .id(view.attendees.count)
            if let add = view.addAttendee { ActionButton(action: add, send: send) }
            ActionButton(action: view.save, send: send)
            Running(text: view.running)
            if let error = view.error { ErrorText(reason: error) }
        }
    }
}

/// The import screen: the system's file picker chooses the file; its name
/// and bytes go to the core, which reads it and lists every problem.
struct RegistryImportScreen: View {
    let view: ImportView
    let send: Send
    @State private var choosing = false

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Text(view.layout)
            VStack(alignment: .leading, spacing: 4) {
                Text(view.fileLabel).font(.subheadline)
                Button { choosing = true } label: {
                    Text(view.upload).frame(maxWidth: .infinity, minHeight: 44)
                }
                .buttonStyle(.bordered)
                Text(view.fileHelp).font(.footnote).foregroundStyle(.secondary)
            }
            Text(view.file).font(.headline)
            if let summary = view.summary { Text(summary) }
            if let refused = view.refused { ErrorText(reason: refused) }
            ForEach(Array(view.problems.enumerated()), id: \.offset) { _, problem in
                Text(problem.text).foregroundStyle(.red)
            }
            ActionButton(action: view.confirm, send: send)
            Running(text: view.running)
            if let error = view.error { ErrorText(reason: error) }
        }
        .fileImporter(isPresented: $choosing, allowedContentTypes: contentTypes(view.accept)) { result in
            // Cancelled or unreadable: nothing to send.
            guard case .success(let url) = result, let bytes = readChosen(url, maxBytes: view.maxBytes) else { return }
            send(.registries(event: .importFile(name: url.lastPathComponent, bytes: bytes)))
        }
    }
}

/// The types of the view's `accept` list: `.csv`-style extensions and
/// media types.
private func contentTypes(_ accept: String) -> [UTType] {
    let types = accept.split(separator: ",").compactMap { part -> UTType? in
        let item = part.trimmingCharacters(in: .whitespaces)
        return item.hasPrefix(".") ? UTType(filenameExtension: String(item.dropFirst())) : UTType(mimeType: item)
    }
    return types.isEmpty ? [.data] : types
}

/// At most `maxBytes + 1` bytes of the chosen file: a larger file is never
/// read whole, and the core refuses it for its size. `nil` when it cannot be
/// read.
private func readChosen(_ url: URL, maxBytes: UInt64) -> Data? {
    let scoped = url.startAccessingSecurityScopedResource()
    defer { if scoped { url.stopAccessingSecurityScopedResource() } }
    guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
    defer { try? handle.close() }
    let limit = Int(min(maxBytes, UInt64(Int.max - 1))) + 1
    do {
        return try handle.read(upToCount: limit) ?? Data()
    } catch {
        return nil
    }
}
