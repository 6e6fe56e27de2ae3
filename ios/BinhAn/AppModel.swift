// Holds the one AppCore of the app and the view model it last returned.
// Sends run on one serial queue (unlocking runs Argon2id, about a second),
// in the order they were made; each answer is published on the main actor.
// Effects the core asks for come back on the main actor too: the model reads
// the view again on `Refresh` and hands every other effect to the app
// (`effects`). Nothing here decides anything about a case, a PIN or a
// survivor's safety: it passes events in and views out.
//
// Foundation and Observation only, so that tests/swift/run.sh compiles it on
// Linux with the generated bindings (there they are in the same module; on
// iOS they are the BinhAnCore package).
import Foundation
import Observation

#if canImport(BinhAnCore)
import BinhAnCore
#endif

@MainActor
@Observable
final class AppModel {
    /// The screen to draw.
    private(set) var view: ViewModel

    /// What the app does with the effects the model does not carry out
    /// itself (hide, dial, share, locate).
    @ObservationIgnored var effects: ((Effect) -> Void)?

    @ObservationIgnored private let core: AppCore
    @ObservationIgnored private let sends = DispatchQueue(label: "vn.binhan.app.send")
    @ObservationIgnored private var tick: Task<Void, Never>?

    /// An app over the vault in `dir` (made there by the first run), in
    /// `lang`, starting on the camouflage.
    init(dir: String, config: VaultConfig, platformKey: PlatformKey?, lang: Lang) {
        let relay = EffectRelay()
        core = appCore(dir: dir, config: config, platformKey: platformKey, lang: lang, shell: relay)
        view = core.view()
        relay.attach(self)
    }

    /// Sends what the person did (or a lifecycle, network or location
    /// change) and publishes the answer; `then` runs once it is published.
    func send(_ event: Event, then: (@MainActor @Sendable (ViewModel) -> Void)? = nil) {
        let core = core
        sends.async {
            let next = core.send(event: event)
            DispatchQueue.main.async {
                MainActor.assumeIsolated {
                    self.show(next)
                    then?(next)
                }
            }
        }
    }

    /// A location fix, sent as the core counts it (millionths of a degree).
    func located(latitude: Double, longitude: Double) {
        send(.located(latE6: Int32((latitude * 1e6).rounded()), lonE6: Int32((longitude * 1e6).rounded())))
    }

    private func show(_ next: ViewModel) {
        view = next
        // The core asks for a tick while a countdown runs or idle locking is
        // armed; a newer view replaces the request.
        tick?.cancel()
        tick = next.tickInMs.map { ms in
            Task { [weak self] in
                guard (try? await Task.sleep(nanoseconds: UInt64(ms) * 1_000_000)) != nil else { return }
                self?.send(.tick)
            }
        }
    }

    fileprivate func receive(_ effect: Effect) {
        if effect == .refresh {
            let core = core
            sends.async {
                let next = core.view()
                DispatchQueue.main.async { MainActor.assumeIsolated { self.show(next) } }
            }
        } else {
            effects?(effect)
        }
    }
}

/// The core's `Shell`. It is made before the model it reports to (the core
/// needs it first) and holds that model weakly, so that the core, which
/// holds the shell, does not keep the model alive. The core may call it from
/// any thread; effects reach the model on the main actor in the order given.
private final class EffectRelay: Shell, @unchecked Sendable {
    private let lock = NSLock()
    private weak var model: AppModel?

    func attach(_ model: AppModel) {
        lock.lock()
        defer { lock.unlock() }
        self.model = model
    }

    func effect(effect: Effect) {
        lock.lock()
        let model = model
        lock.unlock()
        DispatchQueue.main.async { MainActor.assumeIsolated { model?.receive(effect) } }
    }
}
