// Screen state of the app. It only forwards what the person did to the core
// and keeps what the core answered; it decides nothing.
package vn.binhan.app

import android.app.Application
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import java.io.File
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import vn.binhan.core.BinhAnException
import vn.binhan.core.Vault
import vn.binhan.core.VaultStatus
import vn.binhan.core.defaultVaultConfig
import vn.binhan.core.model.CaseFilter
import vn.binhan.core.model.CaseSummary
import vn.binhan.core.vaultStatus

/** What the app shows. */
sealed interface Screen {
    data object Loading : Screen
    data class Setup(val error: BinhAnException? = null) : Screen
    data class Unlock(val error: BinhAnException? = null) : Screen
    data class Cases(val rows: List<CaseSummary>) : Screen
}

class VaultViewModel(app: Application) : AndroidViewModel(app) {
    // noBackupFilesDir: never part of a backup.
    private val dir = File(app.noBackupFilesDir, "vault").path
    private val platformKey = KeystorePlatformKey()
    private var vault: Vault? = null

    var screen: Screen by mutableStateOf<Screen>(Screen.Loading)
        private set

    init {
        background {
            when (vaultStatus(dir, platformKey)) {
                is VaultStatus.Ready -> {
                    vault = Vault.open(dir, platformKey)
                    Screen.Unlock()
                }
                else -> Screen.Setup()
            }
        }
    }

    /** The PIN typed on the setup or unlock screen. */
    fun submitPin(pin: String) = background {
        val current = screen
        try {
            if (current is Screen.Setup) {
                vault?.close()
                vault = Vault.create(dir, pin, defaultVaultConfig(), platformKey)
            } else {
                vault!!.unlock(pin)
            }
            cases()
        } catch (e: BinhAnException) {
            if (current is Screen.Setup || e is BinhAnException.Erased) Screen.Setup(e) else Screen.Unlock(e)
        }
    }

    /** Locks at once (also when the app goes to the background). */
    fun lock() {
        vault?.lock()
        if (screen is Screen.Cases) screen = Screen.Unlock()
    }

    private fun cases(): Screen = Screen.Cases(
        vault!!.listCases(CaseFilter(status = null, risk = null, commune = null, followUp = null, survivorCode = null)).cases,
    )

    /** Runs a core call off the UI thread (Argon2id takes about a second) and shows its answer. */
    private fun background(call: () -> Screen) {
        viewModelScope.launch { screen = withContext(Dispatchers.IO) { call() } }
    }

    override fun onCleared() {
        vault?.close()
    }
}
