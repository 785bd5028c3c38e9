package org.geoward.bench.load;

/**
 * A device the generator registered on the target.
 *
 * @param uniqueId what its OsmAnd requests send as {@code id}
 * @param token the secret its requests carry as {@code token} (Geoward), or null (Traccar has none)
 * @param storeKey where its fixes are stored: the Geoward subject id, or the Traccar device id
 * @param deviceKey the target's id of the device record, to delete it afterwards
 */
record BenchDevice(String uniqueId, String token, long storeKey, String deviceKey) {}
