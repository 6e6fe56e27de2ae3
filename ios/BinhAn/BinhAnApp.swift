// The iOS shell: draws the view model of the Rust core (ui/, through
// bindings/) and sends back what the person did. The scene's phase and the
// network are reported to the core as events; the
// core decides what they mean (lock on background, sync when it can). The
// effects it asks for are carried out here: dial, share, save a file,
// locate, scan, hide.
import BinhAnCore
import CoreLocation
import Network
import SwiftUI
import UIKit

@main
struct BinhAnApp: App {
    @State private var model: AppModel

    init() {
        _model = State(initialValue: AppModel(
            dir: vaultDirectory(), config: defaultVaultConfig(), platformKey: KeychainPlatformKey(),
            lang: Locale.current.language.languageCode == .english ? .en : .vi))
    }

    var body: some Scene {
        let model = model
        WindowGroup {
            AppRoot(model: model)
        }
    }
}

private struct AppRoot: View {
    let model: AppModel
    @Environment(\.scenePhase) private var phase
    @State private var shared: Shared?
    /// The report file written for the share sheet, removed when it closes.
    @State private var savedFile: URL?
    @State private var scanning = false
    @State private var locator = Locator()
    @State private var network: NWPathMonitor?

    var body: some View {
        Group {
            if phase == .active {
                AppScreen(view: model.view, send: { model.send($0) })
                    .sheet(item: $shared, onDismiss: { removeSavedFile() }) { ShareSheet(items: $0.items) }
                    .sheet(isPresented: $scanning) {
                        QrScanner { text in
                            scanning = false
                            model.send(.scanned(text: text))
                        }
                    }
            } else {
                // Not in front (app switcher, a system alert, going to the
                // background): a blank page, so that the switcher's snapshot
                // shows nothing of the app.
                Color(uiColor: .systemBackground).ignoresSafeArea()
            }
        }
        .onAppear { model.effects = { carryOut($0) } }
        .onChange(of: phase, initial: true) { _, phase in follow(phase) }
    }

    private func carryOut(_ effect: Effect) {
        switch effect {
        case .hideApp:
            // An iOS app cannot take itself off the screen. The core has
            // already switched to the camouflage, which is drawn next; only
            // the share sheet or the scanner could stay over it.
            shared = nil
            scanning = false
        case .dial(let number):
            if let url = URL(string: "tel:\(number)") { UIApplication.shared.open(url) }
        case .share(let text):
            shared = Shared(items: [text])
        case .saveFile(let name, _, let bytes):
            // The report's workbook or CSV (de-identified statistics only),
            // as a temporary file under the name the core gives, for the
            // share sheet ("Save to Files", mail, …).
            removeSavedFile()
            let file = URL.temporaryDirectory.appending(path: URL(fileURLWithPath: name).lastPathComponent)
            do {
                try bytes.write(to: file, options: [.atomic, .completeFileProtection])
                savedFile = file
                shared = Shared(items: [file])
            } catch {
                try? FileManager.default.removeItem(at: file)
            }
        case .scanCode:
            scanning = QrScanner.available
        case .requestLocation:
            locator.locate { model.located(latitude: $0.latitude, longitude: $0.longitude) }
        case .refresh:
            break // read again by the model itself
        }
    }

    private func removeSavedFile() {
        if let savedFile { try? FileManager.default.removeItem(at: savedFile) }
        savedFile = nil
    }

    private func follow(_ phase: ScenePhase) {
        switch phase {
        case .active:
            model.send(.foregrounded)
            network = network ?? watchNetwork(model)
        case .inactive:
            shared = nil
            scanning = false
        case .background:
            shared = nil
            scanning = false
            network?.cancel()
            network = nil
            model.send(.backgrounded)
        @unknown default:
            break
        }
    }
}

/// Tells the core whenever a usable network path appears.
private func watchNetwork(_ model: AppModel) -> NWPathMonitor {
    let monitor = NWPathMonitor()
    monitor.pathUpdateHandler = { @Sendable path in
        guard path.status == .satisfied else { return }
        // Wi-Fi and the like: not expensive, not constrained (Low Data Mode).
        let unmetered = !path.isExpensive && !path.isConstrained
        Task { @MainActor in model.send(.networkAvailable(unmetered: unmetered)) }
    }
    monitor.start(queue: .global(qos: .utility))
    return monitor
}

/// The vault's folder, `vault` in Application Support/BinhAn. That parent is
/// made readable only while the phone is unlocked (complete file protection,
/// which the files the core writes in it inherit; the app's default data
/// protection entitlement says the same) and excluded from backups. The core
/// makes, and may erase, `vault` itself, so the flags are on its parent.
private func vaultDirectory() -> String {
    var home = URL.applicationSupportDirectory.appending(path: "BinhAn", directoryHint: .isDirectory)
    let protection: [FileAttributeKey: Any] = [.protectionKey: FileProtectionType.complete]
    do {
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true, attributes: protection)
        try FileManager.default.setAttributes(protection, ofItemAtPath: home.path)
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try home.setResourceValues(values)
    } catch {
        // Still safe to go on: the vault is sealed by the PIN and by a
        // Keychain key that never leaves this phone, so a copy opens nowhere.
    }
    return home.appending(path: "vault").path
}

/// One location fix for the shelter finder, asking for the permission first
/// if it was never asked. A refusal or a failure leaves the finder as it is.
@MainActor
private final class Locator: NSObject, @preconcurrency CLLocationManagerDelegate {
    private let manager = CLLocationManager()
    private var fixed: ((CLLocationCoordinate2D) -> Void)?

    override init() {
        super.init()
        manager.delegate = self
        // The commune is enough to rank shelters; not the house.
        manager.desiredAccuracy = kCLLocationAccuracyKilometer
    }

    func locate(then fixed: @escaping (CLLocationCoordinate2D) -> Void) {
        self.fixed = fixed
        switch manager.authorizationStatus {
        case .notDetermined: manager.requestWhenInUseAuthorization()
        case .authorizedWhenInUse, .authorizedAlways: manager.requestLocation()
        default: self.fixed = nil
        }
    }

    func locationManagerDidChangeAuthorization(_ manager: CLLocationManager) {
        guard fixed != nil else { return }
        switch manager.authorizationStatus {
        case .authorizedWhenInUse, .authorizedAlways: manager.requestLocation()
        case .notDetermined: break
        default: fixed = nil
        }
    }

    func locationManager(_ manager: CLLocationManager, didUpdateLocations locations: [CLLocation]) {
        guard let location = locations.last else { return }
        fixed?(location.coordinate)
        fixed = nil
    }

    func locationManager(_ manager: CLLocationManager, didFailWithError error: Error) {
        fixed = nil
    }
}

/// What to share (a text, or a file's URL), as the sheet presenting it
/// needs it.
private struct Shared: Identifiable {
    let id = UUID()
    let items: [Any]
}

private struct ShareSheet: UIViewControllerRepresentable {
    let items: [Any]

    func makeUIViewController(context: Context) -> UIActivityViewController {
        UIActivityViewController(activityItems: items, applicationActivities: nil)
    }

    func updateUIViewController(_ controller: UIActivityViewController, context: Context) {}
}
