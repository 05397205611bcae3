using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Restore;

/// <summary>
/// A model and the version wanted, checked once where it enters (a project's <c>MlflowModelReference</c>, a model URI,
/// a lock file entry, an API call) and trusted from there on: the name follows <see cref="ModelNameRules"/> and the
/// version spec is not empty and can name a folder (it does, under <c>obj/models/&lt;name&gt;/</c>). Whether the
/// registry accepts the spec is the registry's to say (<see cref="Registry.IModelRegistry.NormalizeExactVersion"/>).
/// </summary>
public sealed class ModelReference
{
    private ModelReference(string name, string versionSpec)
    {
        Name = name;
        VersionSpec = versionSpec;
    }

    public string Name { get; }

    /// <summary>As written, trimmed, leading zeros of numbers dropped (<see cref="VersionPin"/>): "3", "1.2.0", "@champion", "latest".</summary>
    public string VersionSpec { get; }

    /// <summary>"latest" (any case): the highest usable version.</summary>
    public bool IsLatest => VersionSpec.Equals("latest", StringComparison.OrdinalIgnoreCase);

    /// <summary>"latest" or an alias: the version it names can change, so a lock file records it.</summary>
    public bool IsFloating => IsLatest || VersionSpec.StartsWith('@');

    /// <summary>
    /// The reference, both parts trimmed. Throws MLF1002 for an invalid name, MLF1008 for an empty version spec and
    /// MLF1003 for a spec that cannot name a folder ('/', '\', ':', '.', '..').
    /// </summary>
    public static ModelReference Create(string name, string versionSpec)
    {
        var trimmedName = (name ?? "").Trim();
        ModelNameRules.ThrowIfInvalid(trimmedName);
        var spec = VersionPin.Normalize((versionSpec ?? "").Trim());
        if (spec.Length == 0)
        {
            throw new MlflowException(MlfError.ModelReferenceVersionMissing, trimmedName);
        }

        if (!CachePaths.IsSafeSegment(spec))
        {
            throw new MlflowException(MlfError.VersionSpecInvalid, trimmedName, spec, "model reference", CachePaths.UnsafeSegmentReason);
        }

        return new ModelReference(trimmedName, spec);
    }

    /// <summary>
    /// The references with duplicates merged (the same name and version spec, as items or as a model URI and an item),
    /// in first-seen order. Two version specs for one name are MLF1012: one project restores one version of a model.
    /// </summary>
    public static IReadOnlyList<ModelReference> Merge(IReadOnlyList<ModelReference> references)
    {
        var merged = new List<ModelReference>();
        foreach (var reference in references)
        {
            var same = merged.Find(r => r.Name == reference.Name);
            if (same is null)
            {
                merged.Add(reference);
            }
            else if (!SpecEquals(same.VersionSpec, reference.VersionSpec))
            {
                throw new MlflowException(MlfError.ModelReferenceConflict, reference.Name, same.VersionSpec, reference.VersionSpec);
            }
        }

        return merged;
    }

    private static bool SpecEquals(string a, string b) =>
        a == b || (a.Equals("latest", StringComparison.OrdinalIgnoreCase) && b.Equals("latest", StringComparison.OrdinalIgnoreCase));

    public override string ToString() => $"{Name} {VersionSpec}";
}
