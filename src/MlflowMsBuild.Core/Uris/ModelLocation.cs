using System.Text.RegularExpressions;
using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Uris;

/// <summary>
/// What a user gives wherever a model is an input: a <c>models:/</c> URI (<see cref="ModelUri"/>), or the path of a
/// folder that holds the model's files (relative paths and <c>file:</c> URIs too). Any other scheme is refused (MLF7002).
/// </summary>
/// <param name="Uri">The model URI; null for a local path.</param>
/// <param name="LocalPath">The full path of the folder; null for a model URI.</param>
public sealed partial record ModelLocation(ModelUri? Uri, string? LocalPath)
{
    /// <summary>A URI scheme: two characters or more, so that a Windows drive letter (C:) stays a path.</summary>
    [GeneratedRegex(@"\A(?<scheme>[A-Za-z][A-Za-z0-9+.\-]+):", RegexOptions.CultureInvariant)]
    private static partial Regex SchemePattern();

    /// <param name="baseDirectory">What a relative path is relative to.</param>
    public static ModelLocation Parse(string pathOrUri, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(pathOrUri);
        if (pathOrUri.Trim().Length == 0)
        {
            throw new MlflowException(MlfError.ModelUriInvalid, pathOrUri, "it is empty");
        }

        if (ModelUri.IsModelUri(pathOrUri))
        {
            return new ModelLocation(ModelUri.Parse(pathOrUri), null);
        }

        var scheme = SchemePattern().Match(pathOrUri);
        if (!scheme.Success)
        {
            return new ModelLocation(null, Path.GetFullPath(pathOrUri, baseDirectory));
        }

        if (scheme.Groups["scheme"].Value.Equals("file", StringComparison.OrdinalIgnoreCase)
            && System.Uri.TryCreate(pathOrUri, UriKind.Absolute, out var file) && file.IsFile)
        {
            return new ModelLocation(null, Path.GetFullPath(file.LocalPath));
        }

        throw new MlflowException(MlfError.ModelLocationUnsupported, pathOrUri, scheme.Groups["scheme"].Value);
    }

    public override string ToString() => Uri?.ToString() ?? LocalPath!;
}
