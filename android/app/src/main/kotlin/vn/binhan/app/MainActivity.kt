// A thin Compose front-end: it draws what the core says (labels included)
// and sends back what the person did.
package vn.binhan.app

import android.os.Bundle
import android.view.WindowManager
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.viewModels
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.Button
import androidx.compose.material3.ListItem
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import java.util.Locale
import vn.binhan.core.BinhAnException
import vn.binhan.core.communes
import vn.binhan.core.model.CaseSummary
import vn.binhan.core.model.Lang

class MainActivity : ComponentActivity() {
    private val model: VaultViewModel by viewModels()

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        // No screenshots, and nothing in the recent-apps preview.
        window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
        val lang = if (Locale.getDefault().language == "en") Lang.EN else Lang.VI
        val communeNames = communes().associate { it.code to it.name }
        setContent {
            MaterialTheme {
                when (val screen = model.screen) {
                    Screen.Loading -> Unit
                    is Screen.Setup -> PinScreen(stringResource(R.string.create_pin), screen.error, lang, model::submitPin)
                    is Screen.Unlock -> PinScreen(stringResource(R.string.enter_pin), screen.error, lang, model::submitPin)
                    is Screen.Cases -> CaseList(screen.rows, lang, communeNames, model::lock)
                }
            }
        }
    }

    override fun onStop() {
        super.onStop()
        model.lock()
    }
}

@Composable
private fun PinScreen(title: String, error: BinhAnException?, lang: Lang, onSubmit: (String) -> Unit) {
    var pin by remember { mutableStateOf("") }
    Column(Modifier.fillMaxSize().padding(24.dp), verticalArrangement = Arrangement.spacedBy(16.dp)) {
        Text(title, style = MaterialTheme.typography.headlineSmall)
        OutlinedTextField(
            value = pin,
            onValueChange = { pin = it },
            label = { Text(stringResource(R.string.pin)) },
            visualTransformation = PasswordVisualTransformation(),
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.NumberPassword),
            singleLine = true,
        )
        if (error != null) Text(errorText(error, lang), color = MaterialTheme.colorScheme.error)
        Button(onClick = { onSubmit(pin); pin = "" }) { Text(stringResource(R.string.ok)) }
    }
}

@Composable
private fun errorText(error: BinhAnException, lang: Lang): String = when (error) {
    is BinhAnException.WrongPin -> stringResource(R.string.wrong_pin, error.attemptsRemaining.toInt())
    is BinhAnException.TooSoon -> stringResource(R.string.too_soon, error.retryAfterSecs.toInt())
    is BinhAnException.WeakPin -> if (lang == Lang.VI) error.reasonVi else error.reasonEn
    is BinhAnException.Erased -> stringResource(R.string.erased)
    else -> stringResource(R.string.error)
}

@Composable
private fun CaseList(rows: List<CaseSummary>, lang: Lang, communeNames: Map<String, String>, onLock: () -> Unit) {
    Column(Modifier.fillMaxSize().padding(16.dp)) {
        Text(stringResource(R.string.cases), style = MaterialTheme.typography.headlineSmall)
        Button(onClick = onLock) { Text(stringResource(R.string.lock)) }
        if (rows.isEmpty()) Text(stringResource(R.string.no_cases))
        LazyColumn {
            items(rows, key = { it.id }) { row ->
                ListItem(
                    headlineContent = { Text(row.survivorCode) },
                    supportingContent = {
                        Text(
                            listOfNotNull(
                                row.violenceType.label(lang),
                                row.riskLevel?.label(lang),
                                communeNames[row.commune],
                                row.status.label(lang),
                            ).joinToString(" · "),
                        )
                    },
                )
            }
        }
    }
}
