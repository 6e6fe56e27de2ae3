// One send + view-model round trip from Kotlin through the FFI, as the
// Compose shell makes it for every tap: median and p99 over many sends, on
// a light screen (settings) and on the home screen and case list of the
// vault the Rust half filled (10,000 synthetic cases). Synthetic data.
package vn.binhan.bench

import vn.binhan.core.appCore
import vn.binhan.core.defaultVaultConfig
import vn.binhan.core.model.Lang
import vn.binhan.ui.*

private class NoShell : Shell {
    override fun effect(effect: Effect) {}
}

private fun percentile(sorted: List<Double>, p: Double): Double =
    sorted[((sorted.size - 1) * p).toInt()]

fun main(args: Array<String>) {
    val dir = args[0]
    val rounds = args.getOrNull(1)?.toInt() ?: 200
    val core = appCore(dir, defaultVaultConfig(), null, Lang.VI, NoShell())
    for (digit in listOf(4, 0, 7, 1, 5, 2)) core.send(Event.Calculator(CalcKey.Digit(digit.toUByte())))
    repeat(2) { core.send(Event.Calculator(CalcKey.Equals)) }
    core.send(Event.SetField(Field.UNLOCK_PIN, "493817"))
    check(core.send(Event.Submit).screen is Screen.Home) { "the bench vault did not unlock" }

    fun measure(name: String, target: vn.binhan.ui.Target, sends: Int) {
        core.send(Event.Open(target))
        val samples = mutableListOf<Double>()
        // The first sends warm up the JIT; a language change redraws everything.
        repeat(sends + 20) { i ->
            val lang = if (i % 2 == 0) Lang.EN else Lang.VI
            val started = System.nanoTime()
            val view = core.send(Event.SetLanguage(lang))
            val ms = (System.nanoTime() - started) / 1e6
            check(view.lang == lang)
            if (i >= 20) samples += ms
        }
        samples.sort()
        println(
            "kotlin send: %-9s median %.3f ms, p99 %.3f ms over %d sends".format(
                name, percentile(samples, 0.5), percentile(samples, 0.99), sends,
            ),
        )
    }
    measure("settings", vn.binhan.ui.Target.SETTINGS, rounds * 10)
    measure("home", vn.binhan.ui.Target.HOME, rounds * 5)
    measure("case list", vn.binhan.ui.Target.CASE_LIST, rounds)
    core.send(Event.QuickExit)
}
