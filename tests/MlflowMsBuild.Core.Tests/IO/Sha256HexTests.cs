using System.Security.Cryptography;
using System.Text;
using MlflowMsBuild.Core.IO;

namespace MlflowMsBuild.Core.Tests.IO;

[TestClass]
public sealed class Sha256HexTests
{
    public TestContext TestContext { get; set; } = null!;

    // FIPS 180-2 test vector: SHA-256("abc").
    private const string Abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    [TestMethod]
    public void Of_GivesTheKnownDigest_InLowerCaseHex()
    {
        Assert.AreEqual(Abc, Sha256Hex.Of("abc"u8));
        Assert.AreEqual(Abc, Sha256Hex.OfUtf8("abc"));
        Assert.AreEqual("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256Hex.OfUtf8(""));
    }

    [TestMethod]
    public void OfUtf8_HashesUtf8Bytes_WithoutAByteOrderMark()
    {
        Assert.AreEqual(Sha256Hex.Of(Encoding.UTF8.GetBytes("é")), Sha256Hex.OfUtf8("é"));
        Assert.AreNotEqual(Sha256Hex.Of(Encoding.Latin1.GetBytes("é")), Sha256Hex.OfUtf8("é"));
    }

    [TestMethod]
    public async Task OfStream_ReadsFromThePositionToTheEnd()
    {
        using var stream = new MemoryStream("xxabc"u8.ToArray());
        stream.Position = 2;
        Assert.AreEqual(Abc, Sha256Hex.Of(stream));

        stream.Position = 2;
        Assert.AreEqual(Abc, await Sha256Hex.OfAsync(stream, TestContext.CancellationToken));
    }

    [TestMethod]
    public void Format_WritesAnIncrementalDigestAsOfDoes()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData("ab"u8);
        hash.AppendData("c"u8);

        var hex = Sha256Hex.Format(hash.GetHashAndReset());

        Assert.AreEqual(Abc, hex);
        Assert.AreEqual(Sha256Hex.Length, hex.Length);
    }

    [TestMethod]
    public void Short_IsThePrefixOfTheFullDigest_TwelveDigitsByDefault()
    {
        Assert.AreEqual(Abc[..12], Sha256Hex.Short("abc"));
        Assert.AreEqual(Abc[..24], Sha256Hex.Short("abc", 24));
        Assert.AreEqual(Abc, Sha256Hex.Short("abc", Sha256Hex.Length));
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(65)]
    public void Short_OutsideOneTo64Digits_Throws(int length)
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Sha256Hex.Short("abc", length));
    }
}
