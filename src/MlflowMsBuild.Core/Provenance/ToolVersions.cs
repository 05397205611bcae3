using System.Reflection;
using System.Runtime.InteropServices;

namespace MlflowMsBuild.Core.Provenance;

/// <summary>What published a version: MlflowMsBuild's own version, the .NET runtime and the operating system.</summary>
/// <param name="MlflowMsBuild">The package version, e.g. <c>0.1.0</c> (without the source revision).</param>
/// <param name="Runtime">E.g. <c>.NET 10.0.12</c>.</param>
/// <param name="OperatingSystem">E.g. <c>Debian GNU/Linux 12 (bookworm) (X64)</c>.</param>
public sealed record ToolVersions(string MlflowMsBuild, string Runtime, string OperatingSystem)
{
    public static ToolVersions Current { get; } = new(
        ProductVersion(),
        RuntimeInformation.FrameworkDescription,
        $"{RuntimeInformation.OSDescription.Trim()} ({RuntimeInformation.OSArchitecture})");

    private static string ProductVersion()
    {
        var assembly = typeof(ToolVersions).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var version = informational ?? assembly.GetName().Version?.ToString(3) ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
