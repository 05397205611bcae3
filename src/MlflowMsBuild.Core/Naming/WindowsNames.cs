using System.Text.RegularExpressions;

namespace MlflowMsBuild.Core.Naming;

/// <summary>
/// What a Windows file or folder name cannot be (Microsoft's "Naming Files, Paths, and Namespaces"): a character of
/// <c>&lt; &gt; : " / \ | ? *</c> or a control character, a trailing '.' or space, or a device name (CON, PRN, AUX,
/// NUL, COM0-9, LPT0-9 and their superscript-digit forms), with or without an extension.
/// </summary>
public static partial class WindowsNames
{
    /// <summary>MAX_PATH: the longest path Windows programs can open without long-path support.</summary>
    public const int MaxPath = 260;

    /// <summary>The characters no Windows file name holds besides control characters.</summary>
    public const string ForbiddenCharacters = "<>:\"/\\|?*";

    [GeneratedRegex(@"\A(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DeviceName();

    /// <summary>True for a device name, also with an extension or spaces before it (<c>aux.txt</c>, <c>CON .log</c>).</summary>
    public static bool IsDeviceName(string segment)
    {
        var dot = segment.IndexOf('.', StringComparison.Ordinal);
        return DeviceName().IsMatch((dot < 0 ? segment : segment[..dot]).TrimEnd(' '));
    }

    /// <summary>Why Windows cannot hold a file or folder named <paramref name="segment"/>, or null when it can.</summary>
    public static string? WhyNotAllowed(string segment)
    {
        foreach (var c in segment)
        {
            if (char.IsControl(c))
            {
                return "Windows file names hold no control characters";
            }

            if (ForbiddenCharacters.Contains(c, StringComparison.Ordinal))
            {
                return $"Windows file names cannot hold '{c}' (nor any of {ForbiddenCharacters})";
            }
        }

        if (segment.EndsWith('.') || segment.EndsWith(' '))
        {
            return "Windows drops a trailing '.' or space from file names";
        }

        return IsDeviceName(segment) ? $"'{segment}' is a device name on Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with any extension)" : null;
    }
}
