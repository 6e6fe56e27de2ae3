// Shared helpers for the Kotlin binding tests. All data here is synthetic.
package vn.binhan.tests

import java.nio.file.Files
import java.nio.file.Path
import java.time.LocalDate
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicReference
import vn.binhan.core.Progress
import vn.binhan.core.TaskListener
import vn.binhan.core.TaskOutcome
import vn.binhan.core.Vault
import vn.binhan.core.VaultConfig
import vn.binhan.core.model.*

const val PIN = "493817"
const val OTHER_PIN = "602938"
const val DURESS_PIN = "771946"

/** The smallest Argon2id the core accepts (46 MiB, 1 pass), so tests run fast. */
fun quickConfig(maxAttempts: UInt = 5u) = VaultConfig(
    kdf = KdfParams(memoryKib = 47_104u, iterations = 1u, parallelism = 1u),
    policy = VaultPolicy(
        maxAttempts = maxAttempts,
        freeAttempts = maxAttempts,
        baseDelaySecs = 0uL,
        maxDelaySecs = 0uL,
    ),
)

/** A fresh empty directory for a vault. */
fun tempVaultDir(): String {
    val dir = Files.createTempDirectory("binhan-kotlin-test")
    dir.toFile().deleteOnExit()
    return dir.resolve("vault").toString()
}

/** A new vault with the quick configuration, unlocked. */
fun newVault(dir: String = tempVaultDir()): Vault = Vault.create(dir, PIN, quickConfig(), null)

/** A synthetic survivor. */
fun survivor(
    code: String = "SYN-001",
    name: String? = "Synthetic Người Thử",
    commune: String = "mu_ca",
) = Survivor(
    code = code,
    name = name,
    sex = Sex.FEMALE,
    dateOfBirth = null,
    ageYears = 24u,
    ageEstimated = true,
    ethnicGroup = EthnicGroup.MONG,
    disability = false,
    migrantWorker = null,
    student = null,
    school = null,
    maritalStatus = MaritalStatus.MARRIED,
    commune = commune,
    village = "Bản Synthetic",
    contactMethod = ContactMethod.TRUSTED_PERSON,
    contactTime = "sáng thứ Hai",
    contactDetails = null,
)

/** A synthetic incident some days before `today`. */
fun incident(today: LocalDate, account: String? = "synthetic account") = Incident(
    date = today.minusDays(10),
    timeOfDay = TimeOfDay.EVENING_NIGHT,
    placeType = PlaceType.SURVIVOR_HOME,
    commune = "mu_ca",
    account = account,
    violenceType = ViolenceType.PHYSICAL_ASSAULT,
    contexts = listOf(ContextFlag.INTIMATE_PARTNER_FAMILY),
    perpetrators = listOf(
        Perpetrator(
            sex = Sex.MALE,
            ageGroup = AgeGroup.AGE26_TO40,
            relationship = Relationship.INTIMATE_PARTNER,
        ),
    ),
    reportedElsewhere = false,
    previousIncidents = true,
    reportedOn = today.minusDays(3),
)

/** A complete synthetic intake form. */
fun intake(
    today: LocalDate,
    code: String = "SYN-001",
    risk: RiskLevel = RiskLevel.MEDIUM,
    commune: String = "mu_ca",
    account: String? = "synthetic account",
    nextFollowUp: LocalDate? = null,
) = CaseIntake(
    survivor = survivor(code = code, commune = commune),
    incident = incident(today, account),
    risk = RiskAssessment(
        level = risk,
        factors = listOf(RiskFactor.LIVES_WITH_PERPETRATOR),
        assessedOn = today.minusDays(3),
    ),
    safetyPlan = null,
    consents = listOf(Consent(scope = ConsentScope.Statistics, granted = true, givenBy = ConsentGiver.SURVIVOR)),
    services = emptyList(),
    nextFollowUp = nextFollowUp,
)

/** An empty filter: every case. */
fun everything() = CaseFilter(status = null, risk = null, commune = null, followUp = null, survivorCode = null)

/** Collects what a long operation reports, and waits for its outcome. */
class Recorder(private val onFirstProgress: (() -> Unit)? = null) : TaskListener {
    val progress = java.util.Collections.synchronizedList(mutableListOf<Progress>())
    val outcome = AtomicReference<TaskOutcome?>(null)
    val finishedCalls = java.util.concurrent.atomic.AtomicInteger(0)
    val progressAfterFinish = java.util.concurrent.atomic.AtomicInteger(0)
    private val done = CountDownLatch(1)

    override fun onProgress(progress: Progress) {
        if (outcome.get() != null) progressAfterFinish.incrementAndGet()
        val first = this.progress.isEmpty()
        this.progress.add(progress)
        if (first) onFirstProgress?.invoke()
    }

    override fun onFinished(outcome: TaskOutcome) {
        finishedCalls.incrementAndGet()
        this.outcome.set(outcome)
        done.countDown()
    }

    /** The outcome, waiting up to 30 s for it. */
    fun await(): TaskOutcome {
        check(done.await(30, TimeUnit.SECONDS)) { "the operation did not finish" }
        return outcome.get()!!
    }
}

/** Deletes a directory tree (test clean-up). */
fun deleteTree(dir: String) {
    Path.of(dir).toFile().deleteRecursively()
}

/** Runs `block` and returns the exception of type `T` it throws (Debian's
 *  JUnit 5 ships without the Kotlin extensions). */
inline fun <reified T : Throwable> assertThrows(block: () -> Any?): T {
    try {
        block()
    } catch (e: Throwable) {
        if (e is T) return e
        throw AssertionError("expected ${T::class.java.name}, got $e", e)
    }
    throw AssertionError("expected ${T::class.java.name}, nothing was thrown")
}
