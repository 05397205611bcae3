using System.Globalization;
using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Credentials;

/// <summary>
/// Cleans a token, password or user name before it goes into an HTTP header, whatever it came from (a variable,
/// <c>~/.mlflow/credentials</c>, a python-gitlab file, a <c>helper:</c> command): whitespace around it is dropped
/// (<c>$(cat token.txt)</c> and CI variables often end in a line break), and a control character inside it is
/// <see cref="MlfError.CredentialValueInvalid"/>, naming where the value came from but never the value.
/// </summary>
internal static class CredentialText
{
    /// <summary>The value without surrounding whitespace; null when it is null or nothing but whitespace.</summary>
    /// <param name="source">Where the value came from (a variable name, "private_token in [x] of file"). Safe to show.</param>
    /// <exception cref="MlflowException"><see cref="MlfError.CredentialValueInvalid"/> for a control character
    /// (U+0000 to U+001F, U+007F to U+009F) between its first and last visible characters.</exception>
    public static string? Clean(string? value, string source)
    {
        if (value is null)
        {
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        var bad = trimmed.AsSpan().IndexOfAnyInRange('\u0000', '\u001f');
        var badHigh = trimmed.AsSpan().IndexOfAnyInRange('\u007f', '\u009f');
        var position = bad < 0 ? badHigh : badHigh < 0 ? bad : Math.Min(bad, badHigh);
        if (position >= 0)
        {
            var character = "U+" + ((int)trimmed[position]).ToString("X4", CultureInfo.InvariantCulture);
            throw new MlflowException(MlfError.CredentialValueInvalid, source, character);
        }

        return trimmed;
    }

    /// <summary><see cref="Clean"/> as a <see cref="Secret"/>; null when nothing is left.</summary>
    public static Secret? CleanSecret(string? value, string source) =>
        Clean(value, source) is { } clean ? new Secret(clean) : null;
}
