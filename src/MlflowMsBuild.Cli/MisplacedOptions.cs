using System.CommandLine;
using System.CommandLine.Parsing;

namespace MlflowMsBuild.Cli;

/// <summary>
/// System.CommandLine gives an argument with room left any token it cannot match, and an option's value the next
/// token even when it names another option: <c>pull --bogus</c> would read the folder <c>--bogus</c>, and
/// <c>list X --metric --json</c> the metric <c>--json</c>. Both become usage errors (MLF7060 with <c>--json</c>).
/// </summary>
internal static class MisplacedOptions
{
    /// <summary>
    /// Every argument of <paramref name="command"/> and its subcommands refuses a token that starts with '-' (a model
    /// folder named so is written <c>./-name</c>); every option's value refuses the name of an option the command takes.
    /// </summary>
    public static void RejectIn(Command command) => RejectIn(command, []);

    private static void RejectIn(Command command, IReadOnlyCollection<Option> inherited)
    {
        var options = command.Options.Concat(inherited).ToList();
        var names = options.SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var argument in command.Arguments)
        {
            argument.Validators.Add(result =>
            {
                foreach (var token in result.Tokens.Where(t => t.Value.Length > 1 && t.Value[0] == '-'))
                {
                    result.AddError($"Unrecognized option '{token.Value}'.");
                }
            });
        }

        foreach (var option in command.Options.Where(o => !o.Arity.Equals(ArgumentArity.Zero)))
        {
            option.Validators.Add(result =>
            {
                foreach (var token in result.Tokens.Where(t => names.Contains(t.Value)))
                {
                    result.AddError($"Option '{option.Name}' needs a value before '{token.Value}'.");
                }
            });
        }

        var recursive = options.Where(o => o.Recursive).ToList();
        foreach (var subcommand in command.Subcommands)
        {
            RejectIn(subcommand, recursive);
        }
    }
}
