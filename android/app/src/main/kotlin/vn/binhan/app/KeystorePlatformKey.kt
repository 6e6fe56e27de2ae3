// The vault's second key wrap, held by the Android Keystore: an AES-256-GCM
// key that never leaves the secure hardware. The Rust core calls it through
// the PlatformKey trait (bindings/src/platform.rs).
package vn.binhan.app

import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import java.security.GeneralSecurityException
import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import vn.binhan.core.PlatformKey
import vn.binhan.core.PlatformKeyException

class KeystorePlatformKey(private val alias: String = "binhan-vault-wrap") : PlatformKey {
    private val keyStore: KeyStore = KeyStore.getInstance(KEYSTORE).apply { load(null) }

    override fun wrap(plaintext: ByteArray): ByteArray = guard {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, key() ?: createKey()) // the Keystore picks the nonce
        cipher.iv + cipher.doFinal(plaintext)
    }

    override fun unwrap(wrapped: ByteArray): ByteArray = guard {
        if (wrapped.size <= NONCE_BYTES) throw PlatformKeyException.Failed("wrapped keys too short")
        val key = key() ?: throw PlatformKeyException.Failed("the platform key is gone")
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(TAG_BITS, wrapped, 0, NONCE_BYTES))
        cipher.doFinal(wrapped, NONCE_BYTES, wrapped.size - NONCE_BYTES)
    }

    override fun erase() = guard {
        if (keyStore.containsAlias(alias)) keyStore.deleteEntry(alias)
    }

    private fun key(): SecretKey? = keyStore.getKey(alias, null) as SecretKey?

    private fun createKey(): SecretKey {
        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, KEYSTORE)
        generator.init(
            KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                .build(),
        )
        return generator.generateKey()
    }

    /** Keystore failures become a PlatformKeyException naming the failure, never key material. */
    private inline fun <T> guard(block: () -> T): T =
        try {
            block()
        } catch (e: GeneralSecurityException) {
            throw PlatformKeyException.Failed(e.javaClass.simpleName)
        }

    private companion object {
        const val KEYSTORE = "AndroidKeyStore"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val NONCE_BYTES = 12
        const val TAG_BITS = 128
    }
}
