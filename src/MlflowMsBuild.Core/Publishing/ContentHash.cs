using System.Globalization;
using System.Text;
using MlflowMsBuild.Core.IO;

namespace MlflowMsBuild.Core.Publishing;

/// <summary>
/// Identifies what a version holds: SHA-256 over the model files and the other artifacts (path and content
/// hash), the metrics, the params except the date, the commit and the uncommitted changes. Publishing the
/// same thing again gives the same hash, so the publisher can report the version that already holds it.
/// The date, the tool versions and the machine's paths are deliberately left out.
/// </summary>
public static class ContentHash
{
    private const string Format = "mlflow-msbuild-content/1";

    /// <summary>
    /// A stand-in with the shape of every content hash (64 lower-case hex digits, <see cref="Sha256Hex.Length"/>), for
    /// the checks of tag lengths made before the model files are hashed (<see cref="RegistryLimitCheck"/>).
    /// </summary>
    public static readonly string Shape = new('0', Sha256Hex.Length);

    public static string Compute(
        string modelName,
        IEnumerable<(string ArtifactPath, string Sha256)> files,
        IEnumerable<KeyValuePair<string, double>> metrics,
        IEnumerable<KeyValuePair<string, string>> parameters,
        string commitSha,
        string? changesDigest)
    {
        var text = new StringBuilder();
        void Line(params string[] fields) => text.Append(string.Join('\t', fields.Select(Escape))).Append('\n');

        Line(Format);
        Line("model", modelName);
        foreach (var (path, sha256) in files.OrderBy(f => f.ArtifactPath, StringComparer.Ordinal))
        {
            Line("file", path, sha256);
        }

        foreach (var (key, value) in metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            Line("metric", key, value.ToString("R", CultureInfo.InvariantCulture));
        }

        foreach (var (key, value) in parameters.Where(p => p.Key != ProvenanceRecord.DateParam).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Line("param", key, value);
        }

        Line("commit", commitSha);
        Line("changes", changesDigest ?? "");
        return Sha256Hex.OfUtf8(text.ToString());
    }

    private static string Escape(string field) =>
        field.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
