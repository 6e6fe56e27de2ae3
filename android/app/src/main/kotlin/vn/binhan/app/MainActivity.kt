// The Android shell: draws the view model of the Rust core (ui/, through
// bindings/) and sends back what the person did. Window security, the
// lifecycle and connectivity are reported to the core as events; the core
// decides what they mean (lock on background, sync when the network is back).
package vn.binhan.app

import android.Manifest
import android.app.Activity
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.location.Location
import android.location.LocationManager
import android.os.Build
import android.net.ConnectivityManager
import android.net.Network
import android.net.NetworkCapabilities
import android.net.Uri
import android.os.Bundle
import android.view.WindowManager
import androidx.activity.ComponentActivity
import androidx.activity.compose.BackHandler
import androidx.activity.compose.setContent
import androidx.activity.result.contract.ActivityResultContract
import androidx.activity.viewModels
import androidx.compose.material3.MaterialTheme
import androidx.compose.runtime.LaunchedEffect
import com.journeyapps.barcodescanner.ScanContract
import com.journeyapps.barcodescanner.ScanOptions
import kotlin.math.roundToInt
import kotlinx.coroutines.delay
import vn.binhan.ui.Effect
import vn.binhan.ui.Event

class MainActivity : ComponentActivity() {
    private val model: AppModel by viewModels()
    private var network: ConnectivityManager.NetworkCallback? = null
    // ZXing's scanner activity (it asks for the camera itself); a cancelled scan sends nothing.
    private val scanner = registerForActivityResult(ScanContract()) { result ->
        result.contents?.let { model.send(Event.Scanned(it)) }
    }
    // A report's file waiting for the place the person chooses (the system's
    // "save as"); forgotten if the person cancels or the app hides.
    private var pendingSave: ByteArray? = null
    private val saver = registerForActivityResult(SaveDocument()) { uri ->
        val bytes = pendingSave
        pendingSave = null
        if (uri != null && bytes != null) {
            runCatching { contentResolver.openOutputStream(uri, "wt")?.use { it.write(bytes) } }
        }
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        // No screenshots, and nothing in the recent-apps preview.
        window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
        model.effects = ::carryOut
        setContent {
            MaterialTheme {
                val view = model.view
                BackHandler(enabled = view.canGoBack) { model.send(Event.Back) }
                // The core asks for a tick while a countdown runs or idle
                // locking is armed.
                LaunchedEffect(view) {
                    view.tickInMs?.let {
                        delay(it.toLong())
                        model.send(Event.Tick)
                    }
                }
                AppScreen(view, model::send, model.caseRows)
            }
        }
    }

    override fun onStart() {
        super.onStart()
        model.send(Event.Foregrounded)
        val connectivity = getSystemService(ConnectivityManager::class.java)
        val callback = object : ConnectivityManager.NetworkCallback() {
            // Unmetered (Wi-Fi): a road map update may download; unknown counts as metered.
            override fun onAvailable(network: Network) = model.send(
                Event.NetworkAvailable(
                    unmetered = connectivity?.getNetworkCapabilities(network)
                        ?.hasCapability(NetworkCapabilities.NET_CAPABILITY_NOT_METERED) == true,
                ),
            )
        }
        connectivity?.registerDefaultNetworkCallback(callback)
        network = callback
    }

    override fun onStop() {
        network?.let { getSystemService(ConnectivityManager::class.java)?.unregisterNetworkCallback(it) }
        network = null
        // The core decides what this means: a lock, unless a system screen the
        // person opened (scanner, file picker, "save as") covers the app.
        model.send(Event.Backgrounded)
        super.onStop()
    }

    override fun onDestroy() {
        model.effects = null
        super.onDestroy()
    }

    private fun carryOut(effect: Effect) {
        when (effect) {
            // Off the screen at once; FLAG_SECURE leaves the thumbnail blank.
            Effect.HideApp -> {
                pendingSave = null
                moveTaskToBack(true)
            }
            is Effect.Dial -> startActivity(Intent(Intent.ACTION_DIAL, Uri.parse("tel:${effect.number}")))
            Effect.RequestLocation -> locate()
            is Effect.Share -> startActivity(
                Intent.createChooser(Intent(Intent.ACTION_SEND).setType("text/plain").putExtra(Intent.EXTRA_TEXT, effect.text), null),
            )
            // The scanner sends what it read back; the core decides whether it is an invitation.
            Effect.ScanCode -> scanner.launch(
                ScanOptions().setDesiredBarcodeFormats(ScanOptions.QR_CODE).setBeepEnabled(false).setOrientationLocked(false),
            )
            // The report's workbook or CSV (de-identified statistics only):
            // saved where the person chooses, with the name the core gives.
            is Effect.SaveFile -> {
                pendingSave = effect.bytes
                runCatching { saver.launch(effect.name to effect.mime) }.onFailure { pendingSave = null }
            }
            Effect.Refresh -> Unit
        }
    }

    /** A coarse location fix for the shelter finder, sent back as an event. */
    private fun locate() {
        if (checkSelfPermission(Manifest.permission.ACCESS_COARSE_LOCATION) != PackageManager.PERMISSION_GRANTED) {
            requestPermissions(arrayOf(Manifest.permission.ACCESS_COARSE_LOCATION), LOCATION_REQUEST)
            return
        }
        val manager = getSystemService(LocationManager::class.java) ?: return
        val send = { location: Location ->
            model.send(Event.Located((location.latitude * 1e6).roundToInt(), (location.longitude * 1e6).roundToInt()))
        }
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) {
            manager.getCurrentLocation(LocationManager.NETWORK_PROVIDER, null, mainExecutor) { it?.let(send) }
        } else {
            @Suppress("DEPRECATION")
            manager.getLastKnownLocation(LocationManager.NETWORK_PROVIDER)?.let(send)
        }
    }

    override fun onRequestPermissionsResult(requestCode: Int, permissions: Array<out String>, grantResults: IntArray) {
        super.onRequestPermissionsResult(requestCode, permissions, grantResults)
        if (requestCode == LOCATION_REQUEST && grantResults.firstOrNull() == PackageManager.PERMISSION_GRANTED) locate()
    }

    private companion object {
        const val LOCATION_REQUEST = 1
    }
}

/** The system's "save as": creates a document of a given name and media type; its address, or null if cancelled. */
private class SaveDocument : ActivityResultContract<Pair<String, String>, Uri?>() {
    override fun createIntent(context: Context, input: Pair<String, String>): Intent =
        Intent(Intent.ACTION_CREATE_DOCUMENT)
            .addCategory(Intent.CATEGORY_OPENABLE)
            .setType(input.second)
            .putExtra(Intent.EXTRA_TITLE, input.first)

    override fun parseResult(resultCode: Int, intent: Intent?): Uri? =
        if (resultCode == Activity.RESULT_OK) intent?.data else null
}

