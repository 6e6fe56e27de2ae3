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
import androidx.compose.runtime.mutableStateListOf
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
import vn.binhan.ui.CaseRow
import vn.binhan.ui.RowChange
import vn.binhan.ui.Screen as ScreenKind
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

    /**
     * The case list's rows, kept here and changed by the core's row changes
     * (`caseRows`) rather than taken whole with every view.
     */
    val caseRows = mutableStateListOf<CaseRow>()

    /** The version of [caseRows]; read and written on the sends thread only. */
    private var rowsVersion = 0uL

    /** Sends what the person did (or a lifecycle change) and draws the answer. */
    fun send(event: Event) = sends.execute { show(core.send(event)) }

    /** On the sends thread: takes the rows' changes, then draws on the main thread. */
    private fun show(next: Screen) {
        val update = if (next.screen is ScreenKind.CaseList) core.caseRows(rowsVersion) else null
        update?.let { rowsVersion = it.version }
        main.post {
            update?.changes?.forEach { change ->
                when (change) {
                    is RowChange.Reset -> { caseRows.clear(); caseRows.addAll(change.rows) }
                    is RowChange.Insert -> caseRows.add(change.index.toInt(), change.row)
                    is RowChange.Remove -> caseRows.removeAt(change.index.toInt())
                    is RowChange.Set -> caseRows[change.index.toInt()] = change.row
                }
            }
            view = next
        }
    }

    override fun effect(effect: Effect) {
        if (effect == Effect.Refresh) {
            sends.execute { show(core.view()) }
        } else {
            main.post { effects?.invoke(effect) }
        }
    }

    override fun onCleared() {
        sends.shutdown()
        core.close()
    }
}
