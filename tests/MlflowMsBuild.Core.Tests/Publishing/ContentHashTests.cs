using MlflowMsBuild.Core.Publishing;

namespace MlflowMsBuild.Core.Tests.Publishing;

[TestClass]
public sealed class ContentHashTests
{
    private static string Hash(
        string model = "test-m",
        string fileHash = "aa",
        double auc = 0.9,
        string commandLine = "train --seed 1",
        string date = "2026-01-01",
        string commit = "c1",
        string? changes = null) =>
        ContentHash.Compute(
            model,
            [("model/m.zip", fileHash), ("figures/roc.png", "bb")],
            [KeyValuePair.Create("test/auc", auc)],
            [KeyValuePair.Create("command_line", commandLine), KeyValuePair.Create("date", date)],
            commit,
            changes);

    [TestMethod]
    public void SameContent_SameHash_WhateverTheDateAndOrder()
    {
        var reordered = ContentHash.Compute(
            "test-m",
            [("figures/roc.png", "bb"), ("model/m.zip", "aa")],
            [KeyValuePair.Create("test/auc", 0.9)],
            [KeyValuePair.Create("date", "2030-12-31"), KeyValuePair.Create("command_line", "train --seed 1")],
            "c1",
            null);

        Assert.AreEqual(Hash(), reordered);
        Assert.AreEqual(64, Hash().Length);
    }

    [TestMethod]
    public void AnyPartOfTheContentOrProvenance_ChangesTheHash()
    {
        var hashes = new[]
        {
            Hash(),
            Hash(model: "test-n"),
            Hash(fileHash: "ab"),
            Hash(auc: 0.91),
            Hash(commandLine: "train --seed 2"),
            Hash(commit: "c2"),
            Hash(changes: "d1"),
        };

        Assert.HasCount(hashes.Length, hashes.Distinct().ToList());
    }

    [TestMethod]
    public void FieldsCannotBeShiftedIntoEachOther()
    {
        var a = ContentHash.Compute("m", [], [], [KeyValuePair.Create("k\tv", "x")], "c", null);
        var b = ContentHash.Compute("m", [], [], [KeyValuePair.Create("k", "v\tx")], "c", null);

        Assert.AreNotEqual(a, b);
    }
}
