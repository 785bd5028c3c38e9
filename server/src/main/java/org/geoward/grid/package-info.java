/** Grid management (网格化管理): GRID fences, their responsible officers in the "5+X" roles, and their open items. */
package org.geoward.grid;
