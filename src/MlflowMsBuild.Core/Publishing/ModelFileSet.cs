using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Publishing;

internal sealed record ModelFile(string FullPath, string RelativePath, long Size);

internal static class ModelFileSet
{
    /// <summary>Checks that every file exists and lies under <paramref name="directory"/>; paths become '/'-separated.</summary>
    public static IReadOnlyList<ModelFile> Collect(string modelName, string directory, IReadOnlyList<string> files)
    {
        var root = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        if (files.Count == 0)
        {
            throw new MlflowException(MlfError.ModelFilesMissing, modelName, $"the folder '{root}' holds no files");
        }

        var result = new List<ModelFile>();
        foreach (var file in files.Select(f => Path.GetFullPath(f)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (!file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new MlflowException(MlfError.ModelFileOutsideRoot, file, root);
            }

            var info = new FileInfo(file);
            if (!info.Exists)
            {
                throw new MlflowException(MlfError.ModelFilesMissing, modelName, $"'{file}' does not exist");
            }

            result.Add(new ModelFile(file, Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/'), info.Length));
        }

        return result;
    }
}
