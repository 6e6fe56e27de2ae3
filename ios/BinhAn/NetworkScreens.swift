// The screens that reach beyond the phone: the shelter finder, the host's
// desk, inviting a device, the sync status and enrolment. The core runs the
// searches and the background jobs; these views draw their state.
import BinhAnCore
import SwiftUI

struct FinderScreen: View {
    let view: FinderView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            if let forCase = view.forCase { Heading(text: forCase) }
            Text(view.origin)
            ActionButton(action: view.useLocation, send: send)
            if let field = view.placeField {
                PlaceSearchField(field: field, send: send)
                Choices(choices: view.places, send: send)
            }
            if let note = view.placesNote {
                Text(note).font(.footnote).foregroundStyle(.secondary)
            }
            Choices(choices: view.filters, send: send)
            if let rankedBy = view.rankedBy {
                Text(rankedBy).font(.footnote).foregroundStyle(.secondary)
            }
            if let empty = view.empty { Text(empty) }
            ForEach(view.shelters, id: \.id) { shelter in
                VStack(alignment: .leading, spacing: 4) {
                    Heading(text: shelter.name)
                    Text(shelter.subtitle)
                    Text(shelter.distance).foregroundStyle(shelter.unreachable ? Color.red : Color.primary)
                    Text(shelter.places)
                    Text(shelter.open)
                    ActionButtons(actions: [shelter.call, shelter.consent, shelter.request].compactMap { $0 }, send: send)
                }
                Divider()
            }
        }
    }
}

/// "Search from a village": each change of the text goes to the core, which
/// lists the places that match; choosing one clears the text.
struct PlaceSearchField: View {
    let field: PlaceField
    let send: Send
    @State private var text: String

    init(field: PlaceField, send: @escaping Send) {
        self.field = field
        self.send = send
        _text = State(initialValue: field.value)
    }

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(field.label).font(.subheadline)
            TextField(field.label, text: $text)
                .autocorrectionDisabled()
                .fieldBox()
            FieldNote(help: field.help, error: nil)
        }
        .onChange(of: text) { _, typed in
            if typed != field.value { send(.searchPlaces(value: typed)) }
        }
        .onChange(of: field.value) { _, value in
            if value != text { text = value }
        }
    }
}

/// The host's desk: free places, requests to answer, stays to record.
struct HostDeskScreen: View {
    let view: HostView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            if let shelter = view.shelter { Heading(text: shelter) }
            if let places = view.places { Text(places) }
            HStack(spacing: 8) {
                if let fewer = view.fewer { ActionButton(action: fewer, send: send) }
                if let more = view.more { ActionButton(action: more, send: send) }
            }
            if let empty = view.empty { Text(empty) }
            ActionButtons(actions: view.start, send: send)
            ForEach(Array((view.inbox + view.stays).enumerated()), id: \.offset) { _, stay in
                VStack(alignment: .leading, spacing: 4) {
                    Heading(text: stay.needs)
                    if let details = stay.details { Text(details) }
                    Text(verbatim: "\(stay.status) · \(stay.updated)")
                    ActionButtons(actions: stay.actions, send: send)
                }
                Divider()
            }
        }
    }
}

/// Referrals overdue for an answer, each opening its case.
struct OverdueReferralsScreen: View {
    let view: OverdueReferralsView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            if let empty = view.empty { Text(empty) }
            ForEach(Array(view.rows.enumerated()), id: \.offset) { _, row in
                VStack(alignment: .leading, spacing: 4) {
                    Heading(text: row.title)
                    Text(row.detail).font(.footnote)
                    ActionButton(action: row.open, send: send)
                }
                Divider()
            }
        }
    }
}

/// A service provider's referral inbox, as core computed it.
struct ReferralInboxScreen: View {
    let view: ReferralInboxView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            ForEach(view.emergency, id: \.self) { Text($0).bold() }
            if let empty = view.empty { Text(empty) }
            ForEach(Array(view.referrals.enumerated()), id: \.offset) { _, referral in
                VStack(alignment: .leading, spacing: 4) {
                    Heading(text: referral.title)
                    Text(verbatim: "\(referral.status) · \(referral.due)")
                    Text(referral.received).font(.footnote)
                    if let ask = referral.ask { Text(ask) }
                    LabelledRows(rows: referral.facts)
                    ForEach(referral.added, id: \.self) { Text($0) }
                    if let withdrawn = referral.withdrawn { Text(withdrawn) }
                    ActionButtons(actions: referral.actions, send: send)
                }
                Divider()
            }
        }
    }
}

struct InviteScreen: View {
    let view: InviteView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Heading(text: view.roleLabel)
            Choices(choices: view.roles, send: send)
            if let roleError = view.roleError { ErrorText(reason: roleError) }
            if let communeLabel = view.communeLabel {
                OneOf(label: communeLabel, options: view.communes, send: send)
            }
            if let communeError = view.communeError { ErrorText(reason: communeError) }
            if let school = view.school { PlainField(field: school, send: send) }
            Heading(text: view.hoursLabel)
            Choices(choices: view.hours, send: send)
            ActionButton(action: view.submit, send: send)
            Running(text: view.running)
            if let error = view.error { ErrorText(reason: error) }
            LabelledRows(rows: view.invitation)
            if let qr = view.qr { QrImage(code: qr) }
            if let share = view.share { ActionButton(action: share, send: send) }
        }
    }
}

/// The commune's devices: revoke one after a confirmation.
struct DevicesScreen: View {
    let view: DevicesView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Text(view.intro)
            Running(text: view.running)
            if let error = view.error { ErrorText(reason: error) }
            if let confirm = view.confirm {
                Heading(text: confirm.text)
                ActionButton(action: confirm.confirm, send: send)
                ActionButton(action: confirm.cancel, send: send)
            }
            ForEach(Array(view.rows.enumerated()), id: \.offset) { _, row in
                VStack(alignment: .leading, spacing: 4) {
                    Text("\(row.label) · \(row.role) · \(row.code)")
                    if let revoke = row.revoke { ActionButton(action: revoke, send: send) }
                }
            }
            ActionButton(action: view.refresh, send: send)
        }
    }
}

struct SyncScreen: View {
    let view: SyncView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            if let notEnrolled = view.notEnrolled { Text(notEnrolled) }
            LabelledRows(rows: view.enrolledAs + [view.lastSync])
            Text(view.waiting)
            if let progress = view.progress {
                VStack(alignment: .leading, spacing: 4) {
                    Text([progress.label, progress.count].compactMap { $0 }.joined(separator: " "))
                    if let permille = progress.permille {
                        SwiftUI.ProgressView(value: Double(permille), total: 1000)
                    }
                }
                .accessibilityElement(children: .combine)
            }
            if let error = view.error { ErrorText(reason: error) }
            ForEach(view.notices, id: \.code) { ErrorText(reason: $0) }
            ActionButton(action: view.syncNow, send: send)
            if let enrol = view.enrol { ActionButton(action: enrol, send: send) }
            if let roads = view.roads {
                LabelledRows(rows: [roads.map])
                if let update = roads.update { Text(update) }
                Choices(choices: [roads.wifiOnly], send: send)
                if let now = roads.downloadNow { ActionButton(action: now, send: send) }
            }
        }
    }
}

struct EnrolScreen: View {
    let view: EnrolView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Text(view.intro)
            ForEach(view.fields, id: \.field) { PlainField(field: $0, send: send) }
            Running(text: view.running)
            if let error = view.error { ErrorText(reason: error) }
            if let scan = view.scan { ActionButton(action: scan, send: send) }
            ActionButton(action: view.submit, send: send)
        }
    }
}

/// What the core is doing in the background, with a spinner.
struct Running: View {
    let text: String?

    var body: some View {
        if let text {
            HStack(spacing: 8) {
                SwiftUI.ProgressView()
                Text(text)
            }
            .accessibilityElement(children: .combine)
        }
    }
}
