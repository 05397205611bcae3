using System.Text;
using Microsoft.Build.Framework;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Tasks;

/// <summary>
/// Writes the C# class <c>MlflowMsBuild.MlflowModels</c> that finds restored models at run time, by name
/// (<c>MlflowModels.Directory("test-classifier")</c>) and typed (<c>MlflowModels.TestClassifier.Directory</c>,
/// <c>.Version</c>, <c>.Files.ModelZip</c>: <see cref="ModelAccessorSource"/>), rewriting the file only when its text
/// changes.
/// </summary>
public sealed class WriteModelAccessor : Microsoft.Build.Utilities.Task
{
    /// <summary>The model references, with metadata <c>Version</c>.</summary>
    public ITaskItem[] References { get; set; } = [];

    /// <summary>The files placed under <see cref="ModelsDirectory"/> (full paths): each model's become typed members.</summary>
    public ITaskItem[] Files { get; set; } = [];

    /// <summary>Where the models are placed (<c>MlflowModelsDirectory</c>, <c>obj/models/</c>).</summary>
    public string? ModelsDirectory { get; set; }

    /// <summary>Where the models are copied under the output folder, e.g. <c>models</c>.</summary>
    [Required]
    public string OutputSubdirectory { get; set; } = "";

    /// <summary>
    /// <c>MlflowCopyModelsToOutput</c>: when false the models stay in <see cref="ModelsDirectory"/>, and the accessor
    /// points there (an absolute path of the build machine).
    /// </summary>
    public bool CopyToOutput { get; set; } = true;

    [Required]
    public string OutputFile { get; set; } = "";

    public override bool Execute()
    {
        var references = References.Select(r => (r.ItemSpec.Trim(), VersionPin.Normalize(r.GetMetadata("Version").Trim()))).ToList();
        var root = CopyToOutput || string.IsNullOrEmpty(ModelsDirectory) ? null : Path.GetFullPath(ModelsDirectory);
        var files = string.IsNullOrEmpty(ModelsDirectory) ? [] : RelativeFiles(references, Path.GetFullPath(ModelsDirectory));
        var text = ModelAccessorSource.Generate(references, OutputSubdirectory, root, files);
        if (File.Exists(OutputFile) && File.ReadAllText(OutputFile) == text)
        {
            return true;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(OutputFile))!);
        File.WriteAllText(OutputFile, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return true;
    }

    /// <summary>Each referenced model's files under <c>&lt;modelsDirectory&gt;/&lt;folder&gt;/&lt;version&gt;/</c>, relative to that folder.</summary>
    private Dictionary<string, IReadOnlyList<string>> RelativeFiles(IEnumerable<(string Name, string Version)> references, string modelsDirectory)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var paths = Files.Select(f => Path.GetFullPath(f.ItemSpec)).ToList();
        foreach (var (name, version) in references)
        {
            var folder = Path.Combine(modelsDirectory, ModelFolderName.Of(name), version) + Path.DirectorySeparatorChar;
            result[name] = paths.Where(p => p.StartsWith(folder, StringComparison.Ordinal))
                .Select(p => p[folder.Length..].Replace(Path.DirectorySeparatorChar, '/'))
                .ToList();
        }

        return result;
    }
}
