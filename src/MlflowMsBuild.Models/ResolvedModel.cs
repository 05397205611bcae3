namespace MlflowMsBuild.Models;

/// <summary>A model's local folder, and which version of which registry it holds.</summary>
/// <param name="Directory">The full path of the folder that holds the model's files.</param>
/// <param name="Uri">The canonical <c>models:/</c> URI resolved; null for a folder's path.</param>
/// <param name="Name">The model's registry name; null for a folder's path.</param>
/// <param name="Version">The exact version (an alias or <c>latest</c> resolved); null for a folder's path.</param>
/// <param name="Registry">The registry the files came from, as messages name it; null for a folder's path.</param>
/// <param name="Files">Every file of the version, as the cache recorded it; empty for a folder's path, which is used where it
/// is and not read (<c>mlflow-models pull FOLDER --json</c> lists and hashes its files).</param>
/// <param name="FromCache">True when the files came from the machine-wide cache without a download; false when a file had
/// to be downloaded, and for a folder's path (read where it is).</param>
public sealed record ResolvedModel(
    string Directory,
    string? Uri,
    string? Name,
    string? Version,
    string? Registry,
    IReadOnlyList<ModelFile> Files,
    bool FromCache)
{
    /// <summary>
    /// What the resolution warned about, in order; empty for none. E.g. MLF3009: the cached copy was damaged (changed
    /// after it was installed) and was downloaded again. Also reported to the progress callback, when one is given.
    /// </summary>
    public IReadOnlyList<ModelWarning> Warnings { get; init; } = [];
}

/// <summary>A coded warning (the README's error-code table says what each code means).</summary>
/// <param name="Code">E.g. <c>MLF3009</c>.</param>
/// <param name="Message">What happened and what to do.</param>
public sealed record ModelWarning(string Code, string Message);

/// <summary>One file of a model version.</summary>
/// <param name="Path">Relative to <see cref="ResolvedModel.Directory"/>, with '/' separators.</param>
/// <param name="Size">In bytes.</param>
/// <param name="Sha256">Lower-case hex, checked when the file entered the cache.</param>
public sealed record ModelFile(string Path, long Size, string Sha256);
