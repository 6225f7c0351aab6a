using System.Formats.Asn1;
using System.Security.Cryptography;
using Eventuali.Security.Keys;

namespace Eventuali.Security.Pkcs11;

/// <summary>Turns a token's CKA_EC_POINT (a DER OCTET STRING, or the raw point on older modules) into a P-256 SubjectPublicKeyInfo.</summary>
internal static class EcPublicKey
{
    private const int PointSize = 65;

    public static byte[] ToSubjectPublicKeyInfo(byte[] ecPoint, string keyId)
    {
        var point = ecPoint;
        if (ecPoint.Length != PointSize)
        {
            try
            {
                point = AsnDecoder.ReadOctetString(ecPoint, AsnEncodingRules.DER, out _);
            }
            catch (AsnContentException e)
            {
                throw new KeyProviderException($"PKCS#11 public key '{keyId}' has an EC point that is not DER.", keyId, innerException: e);
            }
        }

        if (point.Length != PointSize || point[0] != 0x04)
        {
            throw new KeyProviderException($"PKCS#11 public key '{keyId}' is not an uncompressed P-256 point.", keyId);
        }

        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = point[1..33], Y = point[33..] },
        });
        return ecdsa.ExportSubjectPublicKeyInfo();
    }
}
