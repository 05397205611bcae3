using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.IO;

namespace MlflowMsBuild.Core.Publishing;

/// <summary>A file stored with the version's run besides the model: a table, a figure or a configuration file.</summary>
/// <param name="Kind">"table", "figure" or "configuration file".</param>
/// <param name="ArtifactPath">Where it goes under the run's artifact root, e.g. <c>figures/roc.png</c>.</param>
/// <param name="Sha256">Lower-case hex of the content, for the content hash.</param>
public sealed record PublishedArtifact(string Kind, string ArtifactPath, string FullPath, long Size, string Sha256);

/// <summary>
/// Gathers what an evaluation produced besides the model: tables (the log_text equivalent, under <c>tables/</c>),
/// figures (the log_figure equivalent, under <c>figures/</c>) and the configuration files that drove it (under
/// <c>config/</c>). Every file must exist and have an extension <see cref="EvaluationFolder"/> lists; names must not collide.
/// </summary>
public static class EvaluationOutputs
{
    public static IReadOnlyList<PublishedArtifact> Collect(IReadOnlyList<string> tables, IReadOnlyList<string> figures, IReadOnlyList<string> configFiles)
    {
        var result = new List<PublishedArtifact>();
        result.AddRange(CollectKind("table", MessageSetting.TableItems, EvaluationFolder.TablesFolderName, tables, EvaluationFolder.TableExtensions));
        result.AddRange(CollectKind("figure", MessageSetting.FigureItems, EvaluationFolder.FiguresFolderName, figures, EvaluationFolder.FigureExtensions));
        result.AddRange(CollectKind("configuration file", MessageSetting.ConfigFileItems, "config", configFiles, null));
        return result;
    }

    /// <summary>Fails when two files (model files included) would be stored under the same artifact path.</summary>
    public static void ThrowIfColliding(IEnumerable<(string FullPath, string ArtifactPath)> files)
    {
        // Windows and macOS hold names that differ only in case or Unicode normalisation (NFC/NFD) as one file.
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (fullPath, artifactPath) in files)
        {
            var key = artifactPath.Normalize(System.Text.NormalizationForm.FormC);
            if (seen.TryGetValue(key, out var first))
            {
                throw new MlflowException(MlfError.ArtifactPathCollision, first, fullPath, artifactPath);
            }

            seen[key] = fullPath;
        }
    }

    public static string Sha256Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Sha256Hex.Of(stream);
    }

    private static IEnumerable<PublishedArtifact> CollectKind(string kind, MessageSetting itemName, string folder, IReadOnlyList<string> paths, IReadOnlyList<string>? extensions)
    {
        foreach (var path in paths.Select(p => Path.GetFullPath(p)).Distinct(StringComparer.Ordinal))
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new MlflowException(MlfError.EvaluationOutputMissing, kind, path, itemName);
            }

            if (extensions is not null && !extensions.Contains(info.Extension.ToLowerInvariant()))
            {
                throw new MlflowException(MlfError.EvaluationOutputUnsupported, kind, path, string.Join(", ", extensions));
            }

            yield return new PublishedArtifact(kind, folder + "/" + info.Name, path, info.Length, Sha256Of(path));
        }
    }
}
