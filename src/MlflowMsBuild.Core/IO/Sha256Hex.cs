using System.Security.Cryptography;
using System.Text;

namespace MlflowMsBuild.Core.IO;

/// <summary>
/// SHA-256 written as 64 lower-case hex digits, the one form every digest takes in this product (cache
/// manifests, models.lock.json, content hashes, MLflow's and GitLab's checksums), and the short keys cut from it.
/// </summary>
public static class Sha256Hex
{
    /// <summary>Hex digits of a full digest.</summary>
    public const int Length = 64;

    /// <summary>Hex digits of a short key: 48 bits, enough to tell apart the registries of one machine.</summary>
    public const int ShortLength = 12;

    /// <summary>A digest already computed (32 bytes, e.g. from <see cref="IncrementalHash"/>) as lower-case hex.</summary>
    public static string Format(ReadOnlySpan<byte> digest) => Convert.ToHexString(digest).ToLowerInvariant();

    public static string Of(ReadOnlySpan<byte> bytes) => Format(SHA256.HashData(bytes));

    /// <summary>The digest of the text's UTF-8 bytes (no byte-order mark).</summary>
    public static string OfUtf8(string text) => Of(Encoding.UTF8.GetBytes(text));

    /// <summary>The digest of the rest of <paramref name="stream"/>, read to its end.</summary>
    public static string Of(Stream stream) => Format(SHA256.HashData(stream));

    /// <inheritdoc cref="Of(Stream)"/>
    public static async Task<string> OfAsync(Stream stream, CancellationToken cancellationToken) =>
        Format(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// The first <paramref name="length"/> hex digits (1 to 64) of <see cref="OfUtf8"/>: a stable file-name-safe
    /// key for a registry or a path. Short keys name things; they never check content.
    /// </summary>
    public static string Short(string text, int length = ShortLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        return OfUtf8(text)[..length];
    }
}
