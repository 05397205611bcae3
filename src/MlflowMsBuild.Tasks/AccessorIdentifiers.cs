using System.Text;

namespace MlflowMsBuild.Tasks;

/// <summary>
/// C# identifiers of the typed model accessor, made from model names and file paths by one deterministic rule
/// (the README's "Typed access" gives it): the name is split at every character that is not a letter or a digit,
/// each part starts with its upper case (<c>test-classifier</c> → <c>TestClassifier</c>, <c>model/model.zip</c> →
/// <c>ModelModelZip</c>); an identifier that would start with a digit (or is empty) gets a leading <c>_</c>; one
/// already taken, by an earlier name in ordinal order or by a fixed member of the generated class, gets <c>_2</c>,
/// <c>_3</c> ... Parts start upper case, so no identifier is a C# keyword (all keywords are lower case).
/// </summary>
internal sealed class AccessorIdentifiers
{
    private readonly HashSet<string> taken;

    /// <param name="reserved">Names the scope already holds (its fixed members, the enclosing type's name).</param>
    public AccessorIdentifiers(IEnumerable<string> reserved)
    {
        taken = new HashSet<string>(reserved, StringComparer.Ordinal);
    }

    /// <summary>A new identifier for <paramref name="name"/>, unique in this scope; call in ordinal order of the names.</summary>
    public string Add(string name)
    {
        var identifier = Of(name);
        var unique = identifier;
        for (var suffix = 2; !taken.Add(unique); suffix++)
        {
            unique = $"{identifier}_{suffix}";
        }

        return unique;
    }

    /// <summary>The identifier before collisions are resolved.</summary>
    internal static string Of(string name)
    {
        var text = new StringBuilder();
        var startOfPart = true;
        foreach (var rune in name.EnumerateRunes())
        {
            if (!Rune.IsLetterOrDigit(rune))
            {
                startOfPart = true;
                continue;
            }

            text.Append((startOfPart ? Rune.ToUpperInvariant(rune) : rune).ToString());
            startOfPart = false;
        }

        return text.Length == 0 || char.IsDigit(text[0]) ? "_" + text : text.ToString();
    }
}
