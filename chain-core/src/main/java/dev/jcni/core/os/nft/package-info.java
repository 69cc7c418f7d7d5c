/**
 * nftables as data: a model of libnftables' JSON, the runners that send it, and a fake.
 *
 * <ul>
 *   <li>The model: {@link dev.jcni.core.os.nft.Table}, {@link dev.jcni.core.os.nft.Chain},
 *       {@link dev.jcni.core.os.nft.Rule} (of {@link dev.jcni.core.os.nft.Statement}s over
 *       {@link dev.jcni.core.os.nft.Expr}essions, ending in a {@link dev.jcni.core.os.nft.Verdict}),
 *       {@link dev.jcni.core.os.nft.NftSet} (sets and maps) and their
 *       {@link dev.jcni.core.os.nft.SetElement}s, gathered into an
 *       {@link dev.jcni.core.os.nft.NftBatch} by {@link dev.jcni.core.os.nft.Nft#batch()}. Immutable
 *       Jackson trees, no ObjectMapper. Every name, comment and value is checked on the way in
 *       ({@link dev.jcni.core.os.nft.NftModelException}): the model is what stops a configuration
 *       from smuggling statements into the ruleset, and it refuses what nftables 1.0.6 (Debian 12)
 *       would get silently wrong.</li>
 *   <li>Reading back: {@link dev.jcni.core.os.nft.NftListing} parses what a
 *       {@link dev.jcni.core.os.nft.ListTarget} list returns.</li>
 *   <li>Sending: {@link dev.jcni.core.os.nft.NftRunner} (apply one atomic batch, list one
 *       object), chosen by {@link dev.jcni.core.os.nft.NftRunners#choose} among
 *       {@link dev.jcni.core.os.nft.NftBackend}s ({@link dev.jcni.core.os.nft.NftRunners#defaultBackends}:
 *       {@link dev.jcni.core.os.nft.LibNftablesRunner}, which acts in the calling thread's
 *       namespace, then {@link dev.jcni.core.os.nft.NftProcessRunner}, host namespace only);
 *       failures are typed {@link dev.jcni.core.os.nft.NftException}s carrying the batch and
 *       nft's error text. {@link dev.jcni.core.os.nft.FakeNftRunner} is the in-memory test
 *       double.</li>
 * </ul>
 */
package dev.jcni.core.os.nft;
