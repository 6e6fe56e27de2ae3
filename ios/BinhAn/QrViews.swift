// QR codes: drawing the one the core computed (an invitation, on the
// inviting phone) and scanning one with the camera (on the new phone). What
// a scan read goes back to the core as it is; the core decides whether it is
// an invitation.
import SwiftUI
import VisionKit
import BinhAnCore

/// The core's QR code: dark modules on white, with a four-module quiet zone.
struct QrImage: View {
    let code: QrCode

    var body: some View {
        let width = Int(code.width)
        Canvas { context, size in
            let module = min(size.width, size.height) / CGFloat(width + 8)
            context.fill(Path(CGRect(origin: .zero, size: size)), with: .color(.white))
            var dark = Path()
            for (i, isDark) in code.dark.enumerated() where isDark {
                dark.addRect(CGRect(x: CGFloat(i % width + 4) * module, y: CGFloat(i / width + 4) * module,
                                    width: module, height: module))
            }
            context.fill(dark, with: .color(.black))
        }
        .frame(width: 240, height: 240)
        .accessibilityElement()
        .accessibilityLabel(code.description)
        .accessibilityAddTraits(.isImage)
    }
}

/// The camera's QR scanner (VisionKit). Calls `read` once with the first
/// code it recognises.
struct QrScanner: UIViewControllerRepresentable {
    let read: (String) -> Void

    /// Whether this phone can scan (a camera, and the person allowed it).
    @MainActor static var available: Bool {
        DataScannerViewController.isSupported && DataScannerViewController.isAvailable
    }

    func makeUIViewController(context: Context) -> DataScannerViewController {
        let scanner = DataScannerViewController(
            recognizedDataTypes: [.barcode(symbologies: [.qr])],
            qualityLevel: .balanced, isHighlightingEnabled: true)
        scanner.delegate = context.coordinator
        try? scanner.startScanning()
        return scanner
    }

    func updateUIViewController(_ scanner: DataScannerViewController, context: Context) {}

    static func dismantleUIViewController(_ scanner: DataScannerViewController, coordinator: Coordinator) {
        scanner.stopScanning()
    }

    func makeCoordinator() -> Coordinator { Coordinator(read: read) }

    final class Coordinator: NSObject, DataScannerViewControllerDelegate {
        private var read: ((String) -> Void)?

        init(read: @escaping (String) -> Void) { self.read = read }

        func dataScanner(_ scanner: DataScannerViewController, didAdd items: [RecognizedItem],
                         allItems: [RecognizedItem]) {
            for case .barcode(let code) in items {
                guard let text = code.payloadStringValue, let read else { continue }
                self.read = nil
                read(text)
                return
            }
        }
    }
}
