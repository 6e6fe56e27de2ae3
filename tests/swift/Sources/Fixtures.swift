// Shared helpers for the Swift binding tests, as tests/kotlin's Fixtures.kt.
// All data here is synthetic.
import Foundation

let pin = "493817"

/// The smallest Argon2id the core accepts (46 MiB, 1 pass), so tests run fast.
func quickConfig(maxAttempts: UInt32 = 5) -> VaultConfig {
    VaultConfig(
        kdf: KdfParams(memoryKib: 47_104, iterations: 1, parallelism: 1),
        policy: VaultPolicy(
            maxAttempts: maxAttempts, freeAttempts: maxAttempts,
            baseDelaySecs: 0, maxDelaySecs: 0))
}

/// A fresh directory for one test; `vault` inside it does not exist yet.
func tempDir() throws -> URL {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("binhan-swift-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

func deleteTree(_ dir: URL) {
    try? FileManager.default.removeItem(at: dir)
}

/// `date` (ISO 8601, "YYYY-MM-DD", as the core's NaiveDate) moved by `days`.
func addDays(_ date: NaiveDate, _ days: Int) throws -> NaiveDate {
    let format = DateFormatter()
    format.locale = Locale(identifier: "en_US_POSIX")
    format.timeZone = TimeZone(identifier: "UTC")
    format.dateFormat = "yyyy-MM-dd"
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let day = try unwrap(format.date(from: date), "the date \(date)")
    let moved = try unwrap(calendar.date(byAdding: .day, value: days, to: day), "\(date) + \(days) days")
    return format.string(from: moved)
}

/// A complete synthetic intake form (the survivor, the incident and all of
/// it invented, and marked so).
func intake(today: NaiveDate, code: String = "SYN-SW-001") throws -> CaseIntake {
    CaseIntake(
        survivor: Survivor(
            code: code, name: "Synthetic Người Thử (giả lập)", sex: .female, dateOfBirth: nil,
            ageYears: 24, ageEstimated: true, ethnicGroup: .mong, disability: false,
            migrantWorker: nil, student: nil, school: nil, maritalStatus: .married,
            commune: "mu_ca", village: "Bản Synthetic", contactMethod: .trustedPerson,
            contactTime: "sáng thứ Hai", contactDetails: nil),
        incident: Incident(
            date: try addDays(today, -10), timeOfDay: .eveningNight, placeType: .survivorHome,
            commune: "mu_ca", account: "synthetic account, NOT REAL",
            violenceType: .physicalAssault, contexts: [.intimatePartnerFamily],
            perpetrators: [
                Perpetrator(sex: .male, ageGroup: .age26To40, relationship: .intimatePartner)
            ],
            reportedElsewhere: false, previousIncidents: true,
            reportedOn: try addDays(today, -3)),
        risk: RiskAssessment(
            level: .medium, factors: [.livesWithPerpetrator], assessedOn: try addDays(today, -3)),
        safetyPlan: nil,
        consents: [Consent(scope: .statistics, granted: true, givenBy: .survivor)],
        services: [],
        nextFollowUp: nil)
}

/// An empty filter: every case.
func everything() -> CaseFilter {
    CaseFilter(status: nil, risk: nil, commune: nil, followUp: nil, survivorCode: nil)
}
