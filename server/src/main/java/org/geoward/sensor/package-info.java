/**
 * Home sensor alarms for wards living alone: gas, smoke, water-leak, fall and door sensors registered to a ward's
 * home ({@link org.geoward.sensor.SensorController}), their alarm door over HTTP ({@link
 * org.geoward.sensor.SensorAlarmController}), and {@link org.geoward.sensor.HomeAlarms}, which turns an alarm (from
 * a home sensor, or a worn tracker that reports a fall) into a located alert for the family and the nearest officer.
 */
package org.geoward.sensor;
