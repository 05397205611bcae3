using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Naming;

namespace MlflowMsBuild.Tasks;

/// <summary>
/// Fails with MLF1011 when PublishModel has no model name, naming the prefixes a name must start with. Runs before
/// the (possibly long) evaluation, which the PublishModel task follows.
/// </summary>
public sealed class CheckPublishSettings : MlflowTask
{
    /// <summary>The <c>MlflowModelName</c> setting.</summary>
    public string? ModelName { get; set; }

    /// <summary>The <c>MlflowModelNamePrefixes</c> setting; not set for <see cref="ModelNameRules.DefaultPrefixes"/>.</summary>
    public string? NamePrefixes { get; set; }

    protected override Task ExecuteCoreAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(ModelName))
        {
            throw new MlflowException(MlfError.ModelNameMissing, string.Join(';', ModelNameRules.ParsePrefixes(NamePrefixes)));
        }

        return Task.CompletedTask;
    }
}
