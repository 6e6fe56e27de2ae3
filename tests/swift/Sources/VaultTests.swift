// The vault API from Swift: create, a case in and out, lock, a wrong PIN
// with the attempts left, a weak PIN refused. Synthetic data.
import Foundation

let vaultTests = [
    TestCase(name: "create a vault, record a case and list it", body: createRecordList),
    TestCase(name: "a wrong PIN is an error that says how many attempts remain", body: wrongPin),
    TestCase(name: "a weak PIN is refused with a reason in Vietnamese and English", body: weakPin),
]

private func createRecordList() throws {
    let dir = try tempDir()
    defer { deleteTree(dir) }
    let path = dir.appendingPathComponent("vault").path
    try expectEqual(try vaultStatus(dir: path, platformKey: nil), .noVault, "status before")

    let vault = try Vault.create(dir: path, pin: pin, config: quickConfig(), platformKey: nil)
    try expect(vault.isUnlocked(), "a new vault is unlocked")
    try expectEqual(try vault.listCases(filter: everything()).cases.count, 0, "cases in a new vault")

    let id = try vault.createCase(intake: try intake(today: vault.today(), code: "SYN-SW-001"))
    try expectEqual(id.count, 32, "length of the case id \(id)")
    let list = try vault.listCases(filter: everything())
    try expectEqual(list.cases.map { $0.id }, [id], "listed ids")
    let row = list.cases[0]
    try expectEqual(row.survivorCode, "SYN-SW-001", "survivor code")
    try expectEqual(row.commune, "mu_ca", "commune")
    try expectEqual(row.riskLevel, .medium, "risk")
    try expectEqual(row.violenceType, .physicalAssault, "violence type")
    try expectEqual(row.status, .open, "status")
    try expect(list.unreadable.isEmpty, "unreadable cases: \(list.unreadable)")

    // Locked, the cases cannot be read; the PIN opens them again.
    vault.lock()
    try expect(!vault.isUnlocked(), "locked after lock()")
    let locked = try expectThrows("listing a locked vault") { try vault.listCases(filter: everything()) }
    try expectEqual(locked as? BinhAnError, .Locked, "error when locked")
    try vault.unlock(pin: pin)
    try expectEqual(try vault.listCases(filter: everything()).cases.map { $0.id }, [id], "after unlock")

    // Reopened from disk: locked until the PIN is given.
    let again = try Vault.open(dir: path, platformKey: nil)
    try expect(!again.isUnlocked(), "a reopened vault is locked")
    try again.unlock(pin: pin)
    try expectEqual(try again.listCases(filter: everything()).cases.map { $0.survivorCode }, ["SYN-SW-001"], "reopened")
}

private func wrongPin() throws {
    let dir = try tempDir()
    defer { deleteTree(dir) }
    let vault = try Vault.create(
        dir: dir.appendingPathComponent("vault").path, pin: pin, config: quickConfig(), platformKey: nil)
    vault.lock()
    let first = try expectThrows("unlock with a wrong PIN") { try vault.unlock(pin: "000001") }
    try expectEqual(first as? BinhAnError, .WrongPin(attemptsRemaining: 4), "first wrong PIN")
    try expectEqual(try vault.attemptsRemaining(), 4, "attempts remaining")
    let second = try expectThrows("unlock with another wrong PIN") { try vault.unlock(pin: "000002") }
    guard case .WrongPin(let remaining)? = second as? BinhAnError else {
        throw fail("expected WrongPin, got \(second)")
    }
    try expectEqual(remaining, 3, "attempts remaining after two wrong PINs")
    try vault.unlock(pin: pin)
    try expect(vault.isUnlocked(), "the right PIN unlocks")
    try expectEqual(try vault.attemptsRemaining(), 5, "attempts after the right PIN")
}

private func weakPin() throws {
    let error = try expectThrows("checkPin(123456)") { try checkPin(pin: "123456") }
    guard case .WeakPin(let vi, let en)? = error as? BinhAnError else {
        throw fail("expected WeakPin, got \(error)")
    }
    try expect(!vi.isEmpty && !en.isEmpty, "both reasons are given: '\(vi)' / '\(en)'")
    try checkPin(pin: pin)
}
