using System.Globalization;
using MlflowMsBuild.Core.Credentials.Python;
using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Credentials;

/// <summary>
/// python-gitlab's configuration (<c>gitlab/config.py</c>), found and read the way python-gitlab does:
/// <list type="bullet">
/// <item><c>PYTHON_GITLAB_CFG</c> set: that file only (relative to the working folder, no <c>~</c> expansion); missing,
/// a folder or unreadable is <see cref="MlfError.GitLabConfigFileMissing"/>. (python-gitlab errors only on a missing
/// file and silently reads nothing from an unreadable one; an empty <c>PYTHON_GITLAB_CFG</c> counts as unset.)</item>
/// <item>Else <c>/etc/python-gitlab.cfg</c> then <c>~/.python-gitlab.cfg</c>, each when it exists and can be read;
/// the later file wins key by key.</item>
/// <item>Parsed by <see cref="ConfigParserFile"/> (Python's configparser rules, <c>%</c> interpolation included).</item>
/// <item><c>[global]</c>: <c>default</c> names the default server section; <c>ssl_verify</c>, <c>timeout</c>,
/// <c>api_version</c>, <c>per_page</c> apply to every section unless the section sets its own.</item>
/// </list>
/// </summary>
public sealed class PythonGitLabConfig
{
    public const string ConfigPathVariable = "PYTHON_GITLAB_CFG";
    public const string GlobalSectionName = "global";
    public const string UserFileName = ".python-gitlab.cfg";

    private readonly ConfigParserFile parser;
    private readonly CredentialEnvironment environment;

    private PythonGitLabConfig(ConfigParserFile parser, CredentialEnvironment environment, IReadOnlyList<string> files)
    {
        this.parser = parser;
        this.environment = environment;
        Files = files;
    }

    /// <summary>The files read, in order (empty when there is none).</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary><c>default</c> of <c>[global]</c>: the section python-gitlab uses when none is named; null when unset.</summary>
    public string? DefaultSectionName =>
        parser.HasSection(GlobalSectionName) && parser.Get(GlobalSectionName, "default") is { Length: > 0 } name ? name : null;

    /// <summary>Every section but <c>[global]</c>, in file order.</summary>
    public IReadOnlyList<string> ServerSectionNames =>
        parser.Sections.Where(s => s != GlobalSectionName).ToList();

    internal ConfigParserFile Parser => parser;

    /// <summary>Finds and reads the configuration.</summary>
    public static PythonGitLabConfig Load(CredentialEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var parser = new ConfigParserFile();
        var files = new List<string>();

        if (environment.GetVariable(ConfigPathVariable) is { } named)
        {
            var path = environment.FullPath(named);
            string? problem = null;
            if (Directory.Exists(path))
            {
                problem = "it is a folder";
            }
            else if (!File.Exists(path))
            {
                problem = "the file does not exist";
            }
            else
            {
                try
                {
                    parser.ReadFile(path);
                    files.Add(path);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    problem = ex is UnauthorizedAccessException ? "permission denied" : ex.Message;
                }
            }

            if (problem is not null)
            {
                throw new MlflowException(MlfError.GitLabConfigFileMissing, path, problem);
            }
        }
        else
        {
            var candidates = new List<string> { environment.FullPath(environment.SystemConfigPath) };
            if (environment.HomeDirectory is { } home)
            {
                candidates.Add(Path.Combine(home, UserFileName));
            }

            foreach (var path in candidates.Where(File.Exists))
            {
                try
                {
                    parser.ReadFile(path);
                    files.Add(path);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // python-gitlab (configparser.read) skips a file it cannot open.
                }
            }
        }

        return new PythonGitLabConfig(parser, environment, files);
    }

    /// <summary>The server section, with <c>[global]</c> settings applied; null when there is no such section.</summary>
    /// <exception cref="MlflowException">A setting of the section is not valid.</exception>
    public GitLabConfigSection? GetSection(string name) =>
        name != GlobalSectionName && parser.HasSection(name) ? new GitLabConfigSection(this, name, environment) : null;

    /// <summary>The section <c>[global] default</c> names; null when no default is set.</summary>
    /// <exception cref="MlflowException"><see cref="MlfError.GitLabDefaultSectionInvalid"/> when the named section
    /// does not exist or has no url.</exception>
    public GitLabConfigSection? GetDefaultSection()
    {
        if (DefaultSectionName is not { } name)
        {
            return null;
        }

        var where = parser.SourceOf(GlobalSectionName, "default") ?? string.Join(", ", Files);
        var section = GetSection(name)
            ?? throw new MlflowException(MlfError.GitLabDefaultSectionInvalid, where, name, "does not exist");
        if (section.Url is null)
        {
            throw new MlflowException(MlfError.GitLabDefaultSectionInvalid, where, name, "has no url");
        }

        return section;
    }

    /// <summary>The settings of <c>[global]</c> alone, for a server no section describes.</summary>
    public GitLabServerSettings GlobalSettings => ReadSettings(null);

    public override string ToString() =>
        $"python-gitlab configuration ({(Files.Count == 0 ? "no file" : string.Join(", ", Files))})";

    /// <summary>python-gitlab's order: the <c>[global]</c> value, then the section's.</summary>
    internal GitLabServerSettings ReadSettings(string? section)
    {
        var scopes = section is null ? new[] { GlobalSectionName } : [GlobalSectionName, section];
        var verify = true;
        string? caPath = null;
        var timeoutSeconds = 60;
        var apiVersion = "4";
        int? perPage = null;

        foreach (var scope in scopes)
        {
            if (scope == GlobalSectionName && !parser.HasSection(GlobalSectionName))
            {
                continue;
            }

            if (parser.Get(scope, "ssl_verify") is { } ssl)
            {
                if (ParseBoolean(ssl) is { } flag)
                {
                    (verify, caPath) = (flag, null);
                }
                else
                {
                    // Not a boolean: python-gitlab hands it to requests as the path of a CA bundle.
                    var full = environment.FullPath(ssl);
                    if (!File.Exists(full) && !Directory.Exists(full))
                    {
                        throw new MlflowException(MlfError.CertificateFileMissing, Describe(scope, "ssl_verify"), full);
                    }

                    (verify, caPath) = (true, full);
                }
            }

            if (parser.Get(scope, "timeout") is { } timeout)
            {
                timeoutSeconds = PythonText.Int(timeout) is > 0 and var t
                    ? t
                    : throw ValueInvalid(scope, "timeout", "expected a whole number of seconds above 0");
            }

            if (parser.Get(scope, "api_version") is { } version)
            {
                apiVersion = version == "4"
                    ? version
                    : throw ValueInvalid(scope, "api_version", $"python-gitlab supports only api_version = 4, not '{version}'");
            }

            if (parser.Get(scope, "per_page") is { } page)
            {
                perPage = PythonText.Int(page) is >= 0 and <= 100 and var p
                    ? p
                    : throw ValueInvalid(scope, "per_page", "expected a whole number from 0 to 100");
            }
        }

        return new GitLabServerSettings(verify, caPath, TimeSpan.FromSeconds(timeoutSeconds), apiVersion, perPage);
    }

    /// <summary>"key in [section] of file line N": where a value was set. Safe to show.</summary>
    internal string Describe(string section, string key) =>
        $"{key} in [{section}] of {parser.SourceOf(section, key) ?? string.Join(", ", Files)}";

    internal MlflowException ValueInvalid(string section, string key, string reason) =>
        new(MlfError.ConfigValueInvalid, key, section, parser.SourceOf(section, key) ?? string.Join(", ", Files), reason);

    /// <summary>Python configparser's <c>getboolean</c> words; null for anything else.</summary>
    internal static bool? ParseBoolean(string value) => value.ToLowerInvariant() switch
    {
        "1" or "yes" or "true" or "on" => true,
        "0" or "no" or "false" or "off" => false,
        _ => null,
    };
}

/// <summary>Connection settings of a server section after <c>[global]</c> defaults (python-gitlab's defaults:
/// verify TLS, 60 s, API v4).</summary>
/// <param name="VerifyTls">False when <c>ssl_verify</c> is a false word.</param>
/// <param name="CaCertificatePath">The full path when <c>ssl_verify</c> names a CA bundle; else null.</param>
public sealed record GitLabServerSettings(bool VerifyTls, string? CaCertificatePath, TimeSpan Timeout, string ApiVersion, int? PerPage);

/// <summary>
/// One server section of <see cref="PythonGitLabConfig"/>. Tokens are read only on request, and a <c>helper:</c>
/// value runs only then (python-gitlab runs every helper of the section up front).
/// </summary>
public sealed class GitLabConfigSection
{
    private readonly PythonGitLabConfig config;
    private readonly CredentialEnvironment environment;

    internal GitLabConfigSection(PythonGitLabConfig config, string name, CredentialEnvironment environment)
    {
        this.config = config;
        this.environment = environment;
        Name = name;
        Url = config.Parser.Get(name, "url") is { Length: > 0 } url ? url : null;
        Settings = config.ReadSettings(name);
    }

    public string Name { get; }

    /// <summary>The <c>url</c> as written; null when the section has none.</summary>
    public string? Url { get; }

    /// <summary><c>ssl_verify</c>, <c>timeout</c>, <c>api_version</c>, <c>per_page</c> with <c>[global]</c> applied.</summary>
    public GitLabServerSettings Settings { get; }

    /// <summary><c>http_username</c> (python-gitlab's HTTP basic authentication, which GitLab's API does not use
    /// for tokens); null when unset.</summary>
    public string? HttpUsername => config.Parser.Get(Name, "http_username") is { Length: > 0 } user ? user : null;

    /// <summary>The order in which a section's tokens are tried: private_token, oauth_token, job_token.
    /// (python-gitlab refuses a section that sets more than one.)</summary>
    public static IReadOnlyList<GitLabTokenKind> TokenPrecedence { get; } =
        [GitLabTokenKind.Private, GitLabTokenKind.OAuth, GitLabTokenKind.Job];

    /// <summary>The config key of a token kind: <c>private_token</c>, <c>oauth_token</c> or <c>job_token</c>.</summary>
    public static string KeyOf(GitLabTokenKind kind) => kind switch
    {
        GitLabTokenKind.Private => "private_token",
        GitLabTokenKind.OAuth => "oauth_token",
        GitLabTokenKind.Job => "job_token",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The token of that kind (running its <c>helper:</c> if it is one); null when unset or empty.</summary>
    /// <exception cref="MlflowException"><see cref="MlfError.GitLabHelperFailed"/>, <see cref="MlfError.ConfigValueInvalid"/>.</exception>
    public Secret? GetToken(GitLabTokenKind kind) => GetSecret(KeyOf(kind));

    /// <summary><c>http_password</c> (running its <c>helper:</c> if it is one); null when unset or empty.</summary>
    public Secret? GetHttpPassword() => GetSecret("http_password");

    /// <summary>"key in [section] of file line N". Safe to show.</summary>
    public string Describe(string key) => config.Describe(Name, key);

    public override string ToString() => $"[{Name}] url = {(Url is null ? "(none)" : GitLabServerAddress.Display(Url))}";

    private Secret? GetSecret(string key)
    {
        if (config.Parser.Get(Name, key) is not { Length: > 0 } value)
        {
            return null;
        }

        if (!HelperCommand.IsHelper(value))
        {
            return CredentialText.CleanSecret(value, Describe(key));
        }

        var where = config.Parser.SourceOf(Name, key) ?? string.Join(", ", config.Files);
        var output = HelperCommand.Run(value, environment,
            reason => new MlflowException(MlfError.GitLabHelperFailed, key, Name, where, reason));
        return CredentialText.CleanSecret(output.Reveal(), $"the output of the helper of {Describe(key)}");
    }
}
