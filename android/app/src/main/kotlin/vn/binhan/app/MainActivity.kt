// The Android shell: draws the view model of the Rust core (ui/, through
// bindings/) and sends back what the person did. Window security, the
// lifecycle and connectivity are reported to the core as events; the core
// decides what they mean (lock on background, sync when the network is back).
package vn.binhan.app

import android.content.Intent
import android.net.ConnectivityManager
import android.net.Network
import android.net.Uri
import android.os.Bundle
import android.view.WindowManager
import androidx.activity.ComponentActivity
import androidx.activity.compose.BackHandler
import androidx.activity.compose.setContent
import androidx.activity.viewModels
import androidx.compose.material3.MaterialTheme
import androidx.compose.runtime.LaunchedEffect
import kotlinx.coroutines.delay
import vn.binhan.ui.Effect
import vn.binhan.ui.Event

class MainActivity : ComponentActivity() {
    private val model: AppModel by viewModels()
    private var network: ConnectivityManager.NetworkCallback? = null

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
                AppScreen(view, model::send)
            }
        }
    }

    override fun onStart() {
        super.onStart()
        model.send(Event.Foregrounded)
        val callback = object : ConnectivityManager.NetworkCallback() {
            override fun onAvailable(network: Network) = model.send(Event.NetworkAvailable)
        }
        getSystemService(ConnectivityManager::class.java)?.registerDefaultNetworkCallback(callback)
        network = callback
    }

    override fun onStop() {
        network?.let { getSystemService(ConnectivityManager::class.java)?.unregisterNetworkCallback(it) }
        network = null
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
            Effect.HideApp -> moveTaskToBack(true)
            is Effect.Dial -> startActivity(Intent(Intent.ACTION_DIAL, Uri.parse("tel:${effect.number}")))
            Effect.Refresh -> Unit
        }
    }
}
