using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Settings;

/// <summary>
/// The one reading of a boolean written as text (an MSBuild property, an environment variable): <c>true</c>,
/// <c>false</c>, <c>1</c> or <c>0</c>, in any case, blanks around ignored. Python's configparser words
/// (<c>yes</c>, <c>on</c>) are python-gitlab's rule and stay with <see cref="Credentials.PythonGitLabConfig"/>.
/// </summary>
public static class BooleanSetting
{
    /// <summary>The value; MLF5012 naming <paramref name="setting"/> when it is not one of the four words.</summary>
    public static bool Parse(string setting, string value) =>
        TryParse(value, out var result) ? result : throw new MlflowException(MlfError.EnvironmentBooleanInvalid, setting, value);

    /// <summary>Null when <paramref name="value"/> is null or blank (not set), else <see cref="Parse"/>.</summary>
    public static bool? ParseOptional(string setting, string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : Parse(setting, value);

    /// <summary>False, without an error, when <paramref name="value"/> is not a boolean (for variables that are not ours, such as <c>CI</c>).</summary>
    public static bool TryParse(string? value, out bool result)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "true" or "1":
                result = true;
                return true;
            case "false" or "0":
                result = false;
                return true;
            default:
                result = false;
                return false;
        }
    }

    /// <summary>The text <see cref="Parse"/> reads back: <c>true</c>, <c>false</c>, or null for null.</summary>
    public static string? Format(bool? value) => value switch
    {
        true => "true",
        false => "false",
        null => null,
    };
}
