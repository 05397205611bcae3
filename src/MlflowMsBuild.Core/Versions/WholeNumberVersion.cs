using System.Globalization;

namespace MlflowMsBuild.Core.Versions;

/// <summary>MLflow and the embedded registry number versions 1, 2, 3 ... (MLflow keeps them as 64-bit integers).</summary>
public static class WholeNumberVersion
{
    /// <summary>The version a pin names (<c>04</c> → <c>4</c>), or null when it is not a whole number from 1 to 2^63-1.</summary>
    public static string? Normalize(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1
            ? number.ToString(CultureInfo.InvariantCulture)
            : null;

    /// <summary>True for ASCII digits only, as registries write whole-number versions.</summary>
    internal static bool IsWholeNumber(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);
}
