using System.Globalization;
using System.Text;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Registry;

namespace MlflowMsBuild.Core.Publishing;

/// <summary>
/// Fits a publication into the registry's own limits (<see cref="IModelRegistry.Limits"/>) before anything is
/// created, so a registry that creates the version first (GitLab) never holds a version its later steps could not
/// complete. A param value too long for the registry is stored whole as the artifact <c>params/&lt;key&gt;.txt</c>
/// and the param keeps its beginning and a pointer to that file; anything else over a limit is refused with a code.
/// </summary>
internal static class RegistryLimitCheck
{
    public const string SpilledParamsFolder = "params";

    /// <summary>
    /// The params as the registry will store them, and the files that hold the values that did not fit (written
    /// under <paramref name="spillFolder"/>, created on first need). MLF4022 when even the pointer does not fit.
    /// </summary>
    public static (Dictionary<string, string> Params, List<PublishedArtifact> Spilled) FitParams(
        IReadOnlyList<(string Key, string Value, string Origin)> parameters, PublicationLimits limits, RegistryDescriptor registry, Func<string> spillFolder)
    {
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        var spilled = new List<PublishedArtifact>();
        foreach (var (key, value, origin) in parameters)
        {
            if (limits.MaxParamValueLength is not { } max || value.Length <= max)
            {
                stored[key] = value;
                continue;
            }

            var artifactPath = SpilledParamsFolder + "/" + FileNameOf(key) + ".txt";
            var pointer = $"… (whole value in the run's artifact {artifactPath})";
            if (pointer.Length >= max)
            {
                throw TooLong($"param '{key}' from {origin}", value.Length, registry, max.ToString(CultureInfo.InvariantCulture), limits);
            }

            var keep = max - pointer.Length;
            if (char.IsHighSurrogate(value[keep - 1]))
            {
                keep--;
            }

            stored[key] = value[..keep] + pointer;
            var fullPath = Path.Combine(spillFolder(), SpilledParamsFolder, artifactPath[(SpilledParamsFolder.Length + 1)..].Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
            File.WriteAllText(fullPath, value, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            spilled.Add(new PublishedArtifact("param value", artifactPath, fullPath, new FileInfo(fullPath).Length, EvaluationOutputs.Sha256Of(fullPath)));
        }

        return (stored, spilled);
    }

    /// <summary>
    /// MLF4020 for a non-finite metric where the registry stores only finite ones, MLF4021 for a file at or over the
    /// registry's size limit, MLF4022 for a tag value or description over the registry's limit (or an empty version tag value).
    /// </summary>
    public static void ThrowIfRefused(
        PublicationLimits limits,
        RegistryDescriptor registry,
        IReadOnlyDictionary<string, double> metrics,
        string? metricsOrigin,
        IReadOnlyDictionary<string, string> runTags,
        IReadOnlyDictionary<string, string> versionTags,
        IEnumerable<(string ArtifactPath, long Size)> files,
        string modelDescription)
    {
        if (limits.FiniteMetricsOnly && metrics.FirstOrDefault(m => !double.IsFinite(m.Value)) is { Key: not null } metric)
        {
            var text = double.IsNaN(metric.Value) ? "NaN" : metric.Value > 0 ? "Infinity" : "-Infinity";
            throw new MlflowException(MlfError.MetricValueNotStored, metric.Key, metricsOrigin ?? "the metrics", text, registry.DisplayName);
        }

        if (limits.MaxFileSize is { } maxSize && files.FirstOrDefault(f => f.Size >= maxSize) is { ArtifactPath: not null } file)
        {
            throw new MlflowException(MlfError.FileTooLargeForRegistry, file.ArtifactPath, file.Size, registry.DisplayName, maxSize);
        }

        if (limits.MaxTagValueLength is { } maxTag && runTags.FirstOrDefault(t => t.Value.Length > maxTag) is { Key: not null } tag)
        {
            throw TooLong($"run tag '{tag.Key}'", tag.Value.Length, registry, maxTag.ToString(CultureInfo.InvariantCulture), limits);
        }

        if (limits.MaxVersionTagValueLength is { } maxVersionTag
            && versionTags.FirstOrDefault(t => t.Value.Length > maxVersionTag || string.IsNullOrWhiteSpace(t.Value)) is { Key: not null } versionTag)
        {
            throw TooLong($"model version tag '{versionTag.Key}'", versionTag.Value.Length, registry,
                $"from 1 to {maxVersionTag.ToString(CultureInfo.InvariantCulture)} (not blank)", limits);
        }

        if (modelDescription.Length > registry.MaxDescriptionLength)
        {
            throw TooLong("registered model description", modelDescription.Length, registry,
                registry.MaxDescriptionLength.ToString(CultureInfo.InvariantCulture), limits);
        }
    }

    /// <summary>A param key as a file name every registry keeps: MLflow keys may hold ' ' and ':', which GitLab's file names may not.</summary>
    private static string FileNameOf(string key) =>
        new(key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/' ? c : '_').ToArray());

    private static MlflowException TooLong(string what, int length, RegistryDescriptor registry, string allowed, PublicationLimits limits) =>
        new(MlfError.ValueTooLongForRegistry, what, length, registry.DisplayName, allowed, limits.Source.Length == 0 ? registry.DisplayName : limits.Source);
}
