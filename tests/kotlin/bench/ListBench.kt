// The Kotlin half of the FFI benchmark (tests/kotlin/bench.sh): lists every
// case of the vault the Rust half filled, through the generated bindings,
// and prints the median beside the Rust figure. Synthetic data.
package vn.binhan.bench

import vn.binhan.core.Vault
import vn.binhan.core.model.CaseFilter

fun main(args: Array<String>) {
    val dir = args[0]
    val rounds = args.getOrNull(1)?.toInt() ?: 15
    val rustMs = args.getOrNull(2)?.toDouble()
    val all = CaseFilter(status = null, risk = null, commune = null, followUp = null, survivorCode = null)
    Vault.open(dir, null).use { vault ->
        vault.unlock("493817")
        var listed = 0
        val samples = mutableListOf<Double>()
        // The first rounds warm up the JIT.
        repeat(rounds + 5) { round ->
            val started = System.nanoTime()
            val list = vault.listCases(all)
            val ms = (System.nanoTime() - started) / 1e6
            listed = list.cases.size
            if (round >= 5) samples += ms
        }
        samples.sort()
        val median = samples[samples.size / 2]
        println("kotlin: listed $listed cases, median %.1f ms over $rounds rounds".format(median))
        if (rustMs != null) {
            println("ratio kotlin/rust: %.2f (target: at most 2)".format(median / rustMs))
        }
    }
}
