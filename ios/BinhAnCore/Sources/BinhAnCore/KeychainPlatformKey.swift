// The vault's second key wrap on iOS: an AES-256-GCM key kept in the
// Keychain, on this device only and only while it is unlocked. The Rust core
// calls it through the PlatformKey protocol generated from
// bindings/src/platform.rs (Generated/BinhAnCore.swift).
import CryptoKit
import Foundation
import Security

public final class KeychainPlatformKey: PlatformKey, @unchecked Sendable {
    private let service: String
    private let account = "vault-wrap"
    private let lock = NSLock()

    /// - Parameter service: Keychain service name the key is stored under.
    public init(service: String = "vn.binhan.vault") {
        self.service = service
    }

    public func wrap(plaintext: Data) throws -> Data {
        try guarded {
            let key = try loadKey() ?? createKey()
            guard let sealed = try AES.GCM.seal(plaintext, using: key).combined else {
                throw PlatformKeyError.Failed(reason: "AES-GCM produced no output")
            }
            return sealed
        }
    }

    public func unwrap(wrapped: Data) throws -> Data {
        try guarded {
            guard let key = try loadKey() else {
                throw PlatformKeyError.Failed(reason: "the platform key is gone")
            }
            return try AES.GCM.open(AES.GCM.SealedBox(combined: wrapped), using: key)
        }
    }

    public func erase() throws {
        try guarded {
            let status = SecItemDelete(query() as CFDictionary)
            guard status == errSecSuccess || status == errSecItemNotFound else {
                throw PlatformKeyError.Failed(reason: "Keychain delete failed (\(status))")
            }
        }
    }

    private func query() -> [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: account,
        ]
    }

    private func loadKey() throws -> SymmetricKey? {
        var q = query()
        q[kSecReturnData as String] = true
        var item: CFTypeRef?
        let status = SecItemCopyMatching(q as CFDictionary, &item)
        if status == errSecItemNotFound { return nil }
        guard status == errSecSuccess, let data = item as? Data else {
            throw PlatformKeyError.Failed(reason: "Keychain read failed (\(status))")
        }
        return SymmetricKey(data: data)
    }

    private func createKey() throws -> SymmetricKey {
        let key = SymmetricKey(size: .bits256)
        var q = query()
        q[kSecValueData as String] = key.withUnsafeBytes { Data($0) }
        // Never in a backup, never on another device, unreadable while the phone is locked.
        q[kSecAttrAccessible as String] = kSecAttrAccessibleWhenUnlockedThisDeviceOnly
        let status = SecItemAdd(q as CFDictionary, nil)
        guard status == errSecSuccess else {
            throw PlatformKeyError.Failed(reason: "Keychain write failed (\(status))")
        }
        return key
    }

    /// One Keychain operation at a time; CryptoKit errors become PlatformKeyError.
    private func guarded<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            return try body()
        } catch let error as PlatformKeyError {
            throw error
        } catch {
            throw PlatformKeyError.Failed(reason: String(describing: type(of: error)))
        }
    }
}
