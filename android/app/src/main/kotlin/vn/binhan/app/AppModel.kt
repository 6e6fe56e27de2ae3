// Holds the one AppCore of the app and the view model it last returned.
// Sends run on one background thread (unlocking runs Argon2id, about a
// second); views come back on the main thread. Effects are carried out by
// the activity. Nothing here decides anything about a case, a PIN or a
// survivor's safety: it passes events in and views out.
package vn.binhan.app

import android.app.Application
import android.os.Handler
import android.os.Looper
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.lifecycle.AndroidViewModel
import java.io.File
import java.util.Locale
import java.util.concurrent.Executors
import vn.binhan.core.appCore
import vn.binhan.core.defaultVaultConfig
import vn.binhan.core.model.Lang
import vn.binhan.ui.AppCore
import vn.binhan.ui.Effect
import vn.binhan.ui.Event
import vn.binhan.ui.Shell
import vn.binhan.ui.ViewModel as Screen

class AppModel(application: Application) : AndroidViewModel(application), Shell {
    private val main = Handler(Looper.getMainLooper())
    private val sends = Executors.newSingleThreadExecutor()

    /** What the activity does with effects that need it (hide, dial). */
    var effects: ((Effect) -> Unit)? = null

    private val core: AppCore = appCore(
        File(application.noBackupFilesDir, "vault").path,
        defaultVaultConfig(),
        KeystorePlatformKey(),
        if (Locale.getDefault().language == "en") Lang.EN else Lang.VI,
        this,
    )

    /** The screen to draw. */
    var view: Screen by mutableStateOf(core.view())
        private set

    /** Sends what the person did (or a lifecycle change) and draws the answer. */
    fun send(event: Event) {
        sends.execute {
            val next = core.send(event)
            main.post { view = next }
        }
    }

    override fun effect(effect: Effect) {
        if (effect == Effect.Refresh) {
            sends.execute {
                val next = core.view()
                main.post { view = next }
            }
        } else {
            main.post { effects?.invoke(effect) }
        }
    }

    override fun onCleared() {
        sends.shutdown()
        core.close()
    }
}
