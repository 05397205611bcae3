using Microsoft.Build.Framework;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Publishing;

namespace MlflowMsBuild.Tasks;

/// <summary>
/// Runs before the (possibly long) evaluation that the PublishModel task follows, and checks everything a publish
/// needs that the evaluation does not write (<see cref="PublishPreflight"/>): a model name (MLF1011) that follows the
/// convention and the registry's rules, the registry setting and the credentials it needs, a requested version the
/// registry can take (MLF1051), MlflowParam names (MLF1052), and a clean git working tree (MLF4003). Sends no request.
/// </summary>
public sealed class CheckPublishSettings : MlflowTask
{
    /// <summary>The <c>MlflowModelName</c> setting.</summary>
    public string? ModelName { get; set; }

    /// <summary>The <c>MlflowModelNamePrefixes</c> setting; not set for <see cref="ModelNameRules.DefaultPrefixes"/>.</summary>
    public string? NamePrefixes { get; set; }

    /// <summary>The <c>MlflowModelVersion</c> setting.</summary>
    public string? RequestedVersion { get; set; }

    /// <summary>The <c>MlflowParam</c> items: only their names are checked here.</summary>
    public ITaskItem[] Params { get; set; } = [];

    /// <summary>The <c>MlflowAllowDirty</c> setting.</summary>
    public bool AllowDirty { get; set; }

    protected override Task ExecuteCoreAsync(CancellationToken cancellationToken)
    {
        var prefixes = ModelNameRules.ParsePrefixes(NamePrefixes);
        if (string.IsNullOrWhiteSpace(ModelName))
        {
            throw new MlflowException(MlfError.ModelNameMissing, string.Join(';', prefixes));
        }

        var settings = CreateSettings();
        using var registry = settings.OpenRegistry();
        PublishPreflight.CheckSettings(registry, ModelName.Trim(), prefixes,
            string.IsNullOrWhiteSpace(RequestedVersion) ? null : RequestedVersion.Trim(), Params.Select(p => p.ItemSpec));
        PublishPreflight.ReadGitState(settings.BaseDirectory, AllowDirty);
        return Task.CompletedTask;
    }
}
