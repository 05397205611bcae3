using System.Text.RegularExpressions;

namespace MlflowMsBuild.Core.Errors;

/// <summary>A setting that a message tells the user to change, named by each host in its own words (<see cref="MessageTerms"/>).</summary>
public enum MessageSetting
{
    /// <summary>The registry setting: <c>MlflowRegistry</c>, <c>--registry</c>.</summary>
    Registry,

    /// <summary>Offline mode, turned on: <c>MlflowOffline=true</c>, <c>--offline</c>.</summary>
    Offline,

    /// <summary>Publishing from a dirty working tree, as an instruction: "set MlflowAllowDirty=true".</summary>
    AllowDirty,

    /// <summary>The allowed model name prefixes.</summary>
    NamePrefixes,

    /// <summary>The model folder of a publish.</summary>
    ModelDirectory,

    /// <summary>How to give a publish its model files, as an instruction.</summary>
    ModelFiles,

    /// <summary>A configuration file of the evaluation.</summary>
    ConfigFile,

    /// <summary>The list of tables, figures or configuration files of a publish (an argument of MLF4006).</summary>
    TableItems,

    /// <summary>See <see cref="TableItems"/>.</summary>
    FigureItems,

    /// <summary>See <see cref="TableItems"/>.</summary>
    ConfigFileItems,

    /// <summary>The version a publish asks the registry to create: <c>MlflowModelVersion</c>, <c>--version</c>.</summary>
    ModelVersion,

    /// <summary>A param a publish logs besides the product's own: an <c>MlflowParam</c> item, a <c>--param</c> option.</summary>
    ParamItem,

    /// <summary>The experiment of the run.</summary>
    Experiment,

    /// <summary>The command that publishes a model, up to the model's name: "dotnet build -t:PublishModel -p:MlflowModelName=".</summary>
    PublishCommand,

    /// <summary>How to accept a version replaced on the server, as an instruction.</summary>
    AcceptReplaced,

    /// <summary>What a bug report should add to the message: "the build's log (-v:d)".</summary>
    BugReportLog,

    /// <summary>The model cache's folder: <c>MlflowCacheDirectory</c>, <c>--cache-dir</c>.</summary>
    CacheDirectory,
}

/// <summary>
/// How one host (the MSBuild tasks, the <c>mlflow-models</c> tool) names the settings a message tells the user to change.
/// Messages.resx writes them as named placeholders beside the positional ones (<c>or {AllowDirty} to publish anyway</c>),
/// and a <see cref="MessageSetting"/> passed as a message argument is named the same way.
/// <see cref="Exception.Message"/> uses <see cref="MSBuild"/>; another host formats with <see cref="MlflowException.MessageFor"/>.
/// </summary>
public sealed partial class MessageTerms
{
    private readonly Dictionary<MessageSetting, string> terms;

    /// <param name="terms">A term for every <see cref="MessageSetting"/>, without braces.</param>
    /// <exception cref="ArgumentException">A setting has no term, or a term holds a brace.</exception>
    public MessageTerms(IReadOnlyDictionary<MessageSetting, string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var missing = Enum.GetValues<MessageSetting>().Where(s => !terms.ContainsKey(s)).ToList();
        if (missing.Count > 0 || terms.Values.Any(t => t.AsSpan().IndexOfAny('{', '}') >= 0))
        {
            throw new ArgumentException($"Every setting needs a term without braces; missing: {string.Join(", ", missing)}.", nameof(terms));
        }

        this.terms = terms.ToDictionary();
    }

    /// <summary>MSBuild's properties and items, as the build and the runtime API show them.</summary>
    public static MessageTerms MSBuild { get; } = new(new Dictionary<MessageSetting, string>
    {
        [MessageSetting.Registry] = "MlflowRegistry",
        [MessageSetting.Offline] = "MlflowOffline=true",
        [MessageSetting.AllowDirty] = "set MlflowAllowDirty=true",
        [MessageSetting.NamePrefixes] = "MlflowModelNamePrefixes",
        [MessageSetting.ModelDirectory] = "MlflowModelDirectory",
        [MessageSetting.ModelFiles] = "Make the evaluation target write the model there, or list the files with MlflowModelFile items",
        [MessageSetting.ConfigFile] = "MlflowConfigFile",
        [MessageSetting.TableItems] = "the MlflowTable items",
        [MessageSetting.FigureItems] = "the MlflowFigure items",
        [MessageSetting.ConfigFileItems] = "the MlflowConfigFile items",
        [MessageSetting.ModelVersion] = "MlflowModelVersion",
        [MessageSetting.ParamItem] = "MlflowParam item",
        [MessageSetting.Experiment] = "MlflowExperimentName",
        [MessageSetting.PublishCommand] = "dotnet build -t:PublishModel -p:MlflowModelName=",
        [MessageSetting.AcceptReplaced] = "restore once with -p:MlflowRefresh=true -p:MlflowUpdateLockFile=true (mlflow-models pull --refresh --accept-replaced)",
        [MessageSetting.BugReportLog] = "the build's log (-v:d)",
        [MessageSetting.CacheDirectory] = "MlflowCacheDirectory",
    });

    public string this[MessageSetting setting] => terms[setting];

    /// <summary>The template with its named placeholders filled; positional ones and escaped braces (<c>{{</c>) are left to <see cref="string.Format(IFormatProvider, string, object[])"/>.</summary>
    internal string Fill(string template) =>
        NamedPlaceholder().Replace(template, match => Enum.TryParse<MessageSetting>(match.Groups["name"].Value, out var setting)
            ? this[setting]
            : throw new InvalidOperationException($"Messages.resx names an unknown setting: {match.Value}."));

    internal object? Fill(object? argument) => argument is MessageSetting setting ? this[setting] : argument;

    [GeneratedRegex(@"(?<!\{)\{(?<name>[A-Za-z]+)\}(?!\})", RegexOptions.CultureInvariant)]
    private static partial Regex NamedPlaceholder();
}
